// Picks the write side of the engine the database URL names (lib/config.ts: databaseEngine).
import { databaseEngine, databaseUrl } from "@/lib/config";
import { postgresWriteEngine } from "@/lib/db/engine/postgres/write";
import { sqliteWriteEngine } from "@/lib/db/engine/sqlite/write";
import type { WriteEngine } from "@/lib/db/engine/write-types";

/** The write side of the database at `url` (DATABASE_URL by default; a SQLite file path also works). */
export function writeEngine(url = databaseUrl()): WriteEngine {
  return databaseEngine(url) === "postgresql" ? postgresWriteEngine(url) : sqliteWriteEngine(url);
}
