import { requireStaff } from "@/lib/auth/guard";
import { exportResponse } from "@/lib/backup/http/export";
import { jsonError } from "@/lib/http/json";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const staff = await requireStaff();
  if (!staff.ok) return jsonError(staff.status, staff.error);
  return exportResponse({ source: "ui", actor: staff.account.username }, "json", request.signal);
}
