// GET /admin/storage/snapshot: a SQLite snapshot of the live database, made for this download.
import type { AuditSource } from "@/lib/backup/audit";
import { snapshotForDownload } from "@/lib/backup/snapshot";
import { fileDownload } from "@/lib/http/file-download";
import { jsonError } from "@/lib/http/json";
import { refusalWhileRestoring } from "@/lib/http/maintenance";

export async function snapshotResponse(
  who: { source: AuditSource; actor: string },
  signal?: AbortSignal,
): Promise<Response> {
  const busy = refusalWhileRestoring();
  if (busy) return busy;
  try {
    const snapshot = await snapshotForDownload(who);
    return fileDownload(snapshot.file, snapshot.name, { deleteAfter: true, signal });
  } catch (error) {
    return jsonError(500, `The snapshot could not be made: ${(error as Error).message}`);
  }
}
