import { archiveResponse } from "@/lib/admin/archive";
import { requireStaff } from "@/lib/auth/guard";
import { jsonError } from "@/lib/http/json";

export const dynamic = "force-dynamic";

/** GET /admin/storage/archive?format=csv|json: every archived measurement, streamed (staff only). */
export async function GET(request: Request) {
  const staff = await requireStaff();
  if (!staff.ok) return jsonError(staff.status, staff.error);
  const format = new URL(request.url).searchParams.get("format") ?? "json";
  if (format !== "json" && format !== "csv") return jsonError(400, "Ask for format=json or format=csv.");
  return archiveResponse(format);
}
