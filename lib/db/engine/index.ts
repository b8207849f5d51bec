// Picks the engine the database URL names (lib/config.ts: databaseEngine). Callers above lib/db
// use only the interfaces in types.ts and write-types.ts.
import { databaseEngine, databaseUrl } from "@/lib/config";
import { postgresReadEngine } from "@/lib/db/engine/postgres/read";
import { sqliteReadEngine } from "@/lib/db/engine/sqlite/read";
import type { ReadEngine } from "@/lib/db/engine/types";

export type * from "@/lib/db/engine/types";
export type * from "@/lib/db/engine/write-types";

/** The read side of the database at `url` (DATABASE_URL by default; a SQLite file path also works). */
export function readEngine(url = databaseUrl()): ReadEngine {
  return databaseEngine(url) === "postgresql" ? postgresReadEngine(url) : sqliteReadEngine(url);
}
