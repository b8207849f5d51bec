// Picks the plain transactions (SqlEngine, write-types.ts) of the engine the database URL names.
import { databaseEngine, databaseUrl } from "@/lib/config";
import { postgresWriteEngine } from "@/lib/db/engine/postgres/write";
import { sqliteSqlEngine } from "@/lib/db/engine/sqlite/transactions";
import type { SqlEngine } from "@/lib/db/engine/write-types";

export { quoteIdentifier } from "@/lib/db/sqlite";

/** Transactions in the common dialect on the database at `url` (DATABASE_URL by default; a SQLite file path also works). */
export function sqlEngine(url = databaseUrl()): SqlEngine {
  if (databaseEngine(url) === "sqlite") return sqliteSqlEngine(url);
  // PostgreSQL's write sessions are already plain transactions in the common dialect.
  const engine = postgresWriteEngine(url);
  return {
    kind: "postgresql",
    beginWrite: (tables) => engine.beginExclusiveWrite(tables),
    beginRead: () => engine.beginReadOnly(),
  };
}
