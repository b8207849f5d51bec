// GET /admin/storage/snapshot: a SQLite snapshot of the live database, made for this download.
import type { AuditSource } from "@/lib/backup/audit";
import { snapshotForDownload } from "@/lib/backup/snapshot";
import { databaseEngine } from "@/lib/config";
import { clientGone, downloadSlots } from "@/lib/http/export";
import { fileDownload } from "@/lib/http/file-download";
import { jsonError } from "@/lib/http/json";
import { refusalWhileRestoring, tryAgainShortly } from "@/lib/http/maintenance";

export async function snapshotResponse(
  who: { source: AuditSource; actor: string },
  signal?: AbortSignal,
): Promise<Response> {
  if (databaseEngine() !== "sqlite") {
    return jsonError(
      409,
      "SQLite snapshots apply to a SQLite database; this lab's database is PostgreSQL. Download the JSON export instead.",
    );
  }
  // The exports' slots: every snapshot is a copy of the database on disk until it is sent.
  const release = await downloadSlots().acquire(signal);
  // A client gone while it waited makes no copy of the database (nor is told to come back).
  if (signal?.aborted) {
    release?.();
    return clientGone();
  }
  if (!release) return tryAgainShortly("Too many backups are being downloaded at once. Try again shortly.");
  const busy = refusalWhileRestoring();
  if (busy) {
    release();
    return busy;
  }
  try {
    const snapshot = await snapshotForDownload(who);
    return fileDownload(snapshot.file, snapshot.name, {
      deleteAfter: true,
      signal,
      onEnd: (whole) => {
        release();
        void snapshot.ended(whole);
      },
    });
  } catch (error) {
    release();
    return jsonError(500, `The snapshot could not be made: ${(error as Error).message}`);
  }
}
