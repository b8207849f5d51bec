// Picks the write side of the engine the database URL names (lib/config.ts: databaseEngine).
import { databaseEngine, databaseUrl } from "@/lib/config";
import { postgresWriteEngine } from "@/lib/db/engine/postgres/write";
import type { WriteEngine } from "@/lib/db/engine/write-types";

/**
 * The write side of the database at `url`, or null where the backup engine still writes through
 * its own synchronous SQLite path (lib/backup/restore/transaction.ts, tuned for speed there).
 */
export function writeEngine(url = databaseUrl()): WriteEngine | null {
  return databaseEngine(url) === "postgresql" ? postgresWriteEngine(url) : null;
}
