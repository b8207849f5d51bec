// Picks the plain transactions (SqlEngine, write-types.ts) of the engine the database URL names.
import { databaseEngine, databaseUrl } from "@/lib/config";
import { numbered, postgresWriteEngine } from "@/lib/db/engine/postgres/write";
import { sqliteSqlEngine } from "@/lib/db/engine/sqlite/transactions";
import type { SqlEngine } from "@/lib/db/engine/write-types";
import { withPostgres } from "@/lib/db/postgres/connection";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";

export { quoteIdentifier } from "@/lib/db/quote-identifier";

/** Transactions in the common dialect on the database at `url` (DATABASE_URL by default; a SQLite file path also works). */
export function sqlEngine(url = databaseUrl()): SqlEngine {
  if (databaseEngine(url) === "sqlite") return sqliteSqlEngine(url);
  // PostgreSQL's write sessions are already plain transactions in the common dialect.
  const engine = postgresWriteEngine(url);
  return {
    kind: "postgresql",
    beginWrite: (tables) => engine.beginExclusiveWrite(tables),
    beginRead: () => engine.beginReadOnly(),
    runAlone: (sql, params = []) =>
      withPostgres(url, async (db) => {
        await db.query(numbered(sql), [...params]);
      }),
    // A plain VACUUM blocks neither readers nor writers; it frees the pages no snapshot still
    // needs and cuts the empty ones off the table's end (Manage Storage measures the table).
    reclaimSpace: (tables) =>
      withPostgres(url, async (db) => {
        if (tables.length > 0) await db.query(`VACUUM ${tables.map(quote).join(", ")}`);
      }),
  };
}
