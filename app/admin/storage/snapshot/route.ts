import { requireStaff } from "@/lib/auth/guard";
import { snapshotResponse } from "@/lib/backup/http/snapshot";
import { jsonError } from "@/lib/http/json";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const staff = await requireStaff();
  if (!staff.ok) return jsonError(staff.status, staff.error);
  return snapshotResponse({ source: "ui", actor: staff.account.username }, request.signal);
}
