import { requireStaff } from "@/lib/auth/guard";
import { fileDownload } from "@/lib/backup/http/snapshot";
import { safetySnapshotByName } from "@/lib/backup/snapshot";
import { jsonError } from "@/lib/http/json";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ name: string }> }) {
  const staff = await requireStaff();
  if (!staff.ok) return jsonError(staff.status, staff.error);
  const snapshot = safetySnapshotByName((await params).name);
  if (!snapshot) return jsonError(404, "No such safety snapshot.");
  return fileDownload(snapshot.file, snapshot.name, { signal: request.signal });
}
