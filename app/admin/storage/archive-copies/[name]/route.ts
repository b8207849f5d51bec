import { archiveCopyByName } from "@/lib/admin/archive";
import { requireStaff } from "@/lib/auth/guard";
import { fileDownload } from "@/lib/backup/http/snapshot";
import { jsonError } from "@/lib/http/json";

export const dynamic = "force-dynamic";

/** The copy of the archive taken before a clear (staff only; names only, never paths). */
export async function GET(request: Request, { params }: { params: Promise<{ name: string }> }) {
  const staff = await requireStaff();
  if (!staff.ok) return jsonError(staff.status, staff.error);
  const name = (await params).name;
  const file = archiveCopyByName(name);
  if (!file) return jsonError(404, "No such copy of the archive.");
  return fileDownload(file, name, { contentType: "application/json; charset=utf-8", signal: request.signal });
}
