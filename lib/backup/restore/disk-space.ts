// A restore writes the data about twice before it finishes: the safety snapshot of the
// current database, and the restored data in the transaction's log (WAL); when the restored
// data is larger than the database now, the database file also grows by the difference as
// the log is copied into it. A restore is refused before it starts, with the figures, when
// the disk cannot hold that.
import fs from "node:fs";
import path from "node:path";

import type { SourceKind } from "@/lib/backup/verify/source";

/** How much larger (or smaller) the database is than each kind of backup file, measured on the demo data. */
const DATABASE_PER_FILE_BYTE: Record<SourceKind, number> = { json: 0.75, "json.gz": 6, sqlite: 1 };

/** Free bytes on the disk that holds `folder` (or, before it exists, its nearest existing parent). */
export function freeDiskBytes(folder: string): number | null {
  let dir = path.resolve(folder);
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    const disk = fs.statfsSync(dir);
    return disk.bavail * disk.bsize;
  } catch {
    return null;
  }
}

/**
 * The free space a restore needs: a snapshot of the database now, the restored data in the
 * log (measured: the log peaks at the restored database's size), and the database's growth.
 */
export function restoreDiskNeed(kind: SourceKind, fileBytes: number, databaseBytes: number): number {
  const restored = Math.ceil(fileBytes * DATABASE_PER_FILE_BYTE[kind]);
  return databaseBytes + restored + Math.max(0, restored - databaseBytes);
}
