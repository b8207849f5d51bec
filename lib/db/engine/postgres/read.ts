// The read side of the seam on a PostgreSQL database (node-postgres).
import { recordTextPages } from "@/lib/db/engine/postgres/record-text";
import type { ReadEngine, ReadSnapshot, ReadSnapshotOptions, RecordTextPlan } from "@/lib/db/engine/types";
import { describePostgresUrl, openPostgres, withPostgres, type Postgres } from "@/lib/db/postgres/connection";
import { postgresSchemaVersion } from "@/lib/db/postgres/migrate";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";

/** Rows per table, on an open connection (inside its transaction, if any). */
export async function countTables(db: Postgres, tables: readonly string[]): Promise<Record<string, number>> {
  if (tables.length === 0) return {};
  // One round trip: count(*) is bigint, text in node-postgres; these counts fit a number.
  const sql = tables.map((t, i) => `(SELECT count(*) FROM ${quote(t)}) AS c${i}`).join(", ");
  const row = (await db.query({ text: `SELECT ${sql}`, rowMode: "array" })).rows[0] as string[];
  return Object.fromEntries(tables.map((t, i) => [t, Number(row[i])]));
}

/**
 * A REPEATABLE READ, READ ONLY transaction on a connection of its own: every query in it sees
 * the database as it was at its first one, whatever the app commits meanwhile.
 */
async function openSnapshot(
  url: string,
  plans: readonly RecordTextPlan[],
  options: ReadSnapshotOptions,
): Promise<ReadSnapshot> {
  const db = await openPostgres(url);
  try {
    // Doubles as their shortest round-trip text (PostgreSQL 12+) and timestamps in UTC,
    // whatever the server's defaults: the record writer reads both as text (record-text.ts).
    await db.query("SET extra_float_digits = 1");
    await db.query("SET TimeZone = 'UTC'");
    await db.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    // The snapshot is taken at the first query of the transaction, not at BEGIN.
    await db.query("SELECT 1");
  } catch (error) {
    await db.end().catch(() => undefined);
    throw error;
  }
  let closed = false;
  return {
    schemaVersion: () => postgresSchemaVersion(db),
    counts: (tables) => countTables(db, tables),
    recordTextPages: (index) => recordTextPages(db, plans[index]!, options.pageSize),
    async close() {
      if (closed) return;
      closed = true;
      // Ending the connection ends the read-only transaction; nothing to commit.
      await db.end().catch(() => undefined);
    },
  };
}

export function postgresReadEngine(url: string): ReadEngine {
  const read = <T>(fn: (db: Postgres) => Promise<T>) => withPostgres(url, fn);
  return {
    kind: "postgresql",
    openReadSnapshot: (plans, options) => openSnapshot(url, plans, options),
    counts: (tables) => read((db) => countTables(db, tables)),
    schemaVersion: () => read(postgresSchemaVersion),
    size: () =>
      read(async (db) => {
        const { rows } = await db.query("SELECT pg_database_size(current_database())::float8 AS bytes");
        return { location: describePostgresUrl(url), bytes: Number(rows[0].bytes), logBytes: 0 };
      }),
    tableBytes: (tables) =>
      read(async (db) => {
        // Every table of the schema, with its indexes and TOAST; _prisma_migrations is bookkeeping.
        const { rows } = await db.query<{ name: string; bytes: number }>(
          `SELECT c.relname AS name, pg_total_relation_size(c.oid)::float8 AS bytes
             FROM pg_class c
            WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
              AND c.relname <> '_prisma_migrations'`,
        );
        const byTable: Record<string, number> = Object.fromEntries(tables.map((t) => [t, 0]));
        let total = 0;
        for (const { name, bytes } of rows) {
          if (name in byTable) byTable[name] = Number(bytes);
          total += Number(bytes);
        }
        return { byTable, total };
      }),
  };
}
