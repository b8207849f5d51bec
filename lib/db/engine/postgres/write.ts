// The write side of the seam on PostgreSQL: one transaction on a connection of its own.
//
// Exclusive write: LOCK TABLE … IN EXCLUSIVE MODE on every table the restore changes. It keeps
// every other writer out until COMMIT or ROLLBACK, and lets readers through (ACCESS SHARE does
// not conflict): they see the last commit, which is how the safety snapshot, an export on
// another connection, reads exactly the data about to be replaced. Emptying the tables then
// takes them whole (TRUNCATE: ACCESS EXCLUSIVE, readers wait until COMMIT), so the snapshot is
// taken first. The foreign keys among the emptied tables are set aside for the load and put
// back, every row checked, before the load has finished (lib/db/postgres/foreign-keys-aside.ts);
// every other write is checked row by row.
//
// A transaction that is not committed is rolled back by `close()`, or by the server when the
// connection drops (a killed process): PostgreSQL then holds exactly what it held before.
import pg from "pg";

import type { BrokenReferences, BulkTable, WriteEngine, WriteSession, WriteValue } from "@/lib/db/engine/write-types";
import { PostgresBulkLoader } from "@/lib/db/postgres/bulk-load";
import { describePostgresUrl } from "@/lib/db/postgres/connection";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";
import { toStoredDateTime } from "@/lib/db/stored-datetime";

const { builtins } = pg.types;

/** timestamptz as text (`2024-01-02 03:04:05.678901+00`, the session in UTC) → the stored form, microseconds kept. */
const storedFromTimestamptz = (text: string) => toStoredDateTime(text) ?? text;

/** Values as SQLite gives them (write-types.ts): the session's rules above it are written once. */
const sqliteLikeTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === builtins.BOOL) return (text: string) => (text === "t" ? 1 : 0);
    if (oid === builtins.INT8) return (text: string) => Number(text);
    if (oid === builtins.TIMESTAMPTZ) return storedFromTimestamptz;
    if (oid === builtins.JSON || oid === builtins.JSONB || oid === builtins.TIMESTAMP) return (text: string) => text;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** `?` placeholders (the common dialect) → `$1, $2, …`. The SQL given here holds no `?` in a literal. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Every single-column foreign key of the schema: child table and column, parent table and column. */
const FOREIGN_KEYS = `
  SELECT child.relname AS child, ca.attname AS "column", parent.relname AS parent, pa.attname AS "parentColumn",
         EXISTS (SELECT 1 FROM pg_attribute k WHERE k.attrelid = child.oid AND k.attname = 'id' AND NOT k.attisdropped) AS "hasId",
         con.convalidated AS validated
    FROM pg_constraint con
    JOIN pg_class child ON child.oid = con.conrelid
    JOIN pg_class parent ON parent.oid = con.confrelid
    JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = con.conkey[1]
    JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = con.confkey[1]
   WHERE con.contype = 'f' AND con.connamespace = current_schema()::regnamespace AND cardinality(con.conkey) = 1
   ORDER BY 1, 2`;

interface ForeignKey {
  child: string;
  column: string;
  parent: string;
  parentColumn: string;
  hasId: number;
  validated: number;
}

class PostgresWriteSession implements WriteSession {
  private open = true;

  constructor(private readonly db: pg.Client) {}

  async get<T>(sql: string, params: readonly WriteValue[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async all<T>(sql: string, params: readonly WriteValue[] = []): Promise<T[]> {
    return (await this.db.query(numbered(sql), params as unknown[])).rows as T[];
  }

  async run(sql: string, params: readonly WriteValue[] = []): Promise<{ changes: number }> {
    return { changes: (await this.db.query(numbered(sql), params as unknown[])).rowCount ?? 0 };
  }

  async counts(tables: readonly string[]): Promise<Record<string, number>> {
    if (tables.length === 0) return {};
    const sql = tables.map((t, i) => `(SELECT count(*) FROM ${quote(t)}) AS c${i}`).join(", ");
    const row = (await this.db.query({ text: `SELECT ${sql}`, rowMode: "array" })).rows[0] as number[];
    return Object.fromEntries(tables.map((t, i) => [t, Number(row[i])]));
  }

  /** Tables TRUNCATEd in this transaction: held ACCESS EXCLUSIVE, empty when the load starts. */
  private readonly emptied = new Set<string>();

  async emptyTables(tables: readonly string[]): Promise<void> {
    // One TRUNCATE of them all: a DELETE has the server run, for every parent row, a
    // foreign-key trigger per referring column to look for children still pointing at it.
    if (tables.length > 0) await this.db.query(`TRUNCATE ${tables.map(quote).join(", ")}`);
    for (const table of tables) this.emptied.add(table);
  }

  bulkInsert(tables: readonly BulkTable[]) {
    // The foreign keys among the emptied tables are set aside for the load and put back,
    // checking every row, before finish() resolves (foreign-keys-aside.ts).
    return new PostgresBulkLoader(this.db, tables, [...this.emptied]);
  }

  async resetSequences(tables: readonly { table: string; key: string }[]): Promise<void> {
    for (const { table, key } of tables) {
      const k = quote(key);
      // An empty table's counter starts again at 1 (is_called false: the next value is 1 itself).
      await this.db.query(
        `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(${k}), 1), MAX(${k}) IS NOT NULL) FROM ${quote(table)}`,
        [quote(table), key],
      );
    }
  }

  /** A table's id sequence (the catalog's own quoted name) and the highest id it has given out. */
  private async counter(table: string, key: string): Promise<{ sequence: string; given: number } | null> {
    const { rows } = await this.db.query<{ sequence: string | null }>(
      "SELECT pg_get_serial_sequence($1, $2) AS sequence",
      [quote(table), key],
    );
    const sequence = rows[0]?.sequence;
    if (!sequence) return null;
    const at = (
      await this.db.query<{ last_value: number; is_called: number }>(`SELECT last_value, is_called FROM ${sequence}`)
    ).rows[0]!;
    // Its last value counts only once given out (a fresh sequence's first value is its last one).
    return { sequence, given: at.is_called ? Number(at.last_value) : Number(at.last_value) - 1 };
  }

  async idsGivenOut(tables: readonly { table: string; key: string }[]): Promise<Record<string, number>> {
    const given: Record<string, number> = {};
    for (const { table, key } of tables) given[table] = Math.max(0, (await this.counter(table, key))?.given ?? 0);
    return given;
  }

  async advanceSequences(tables: readonly { table: string; key: string }[]): Promise<void> {
    for (const { table, key } of tables) {
      const counter = await this.counter(table, key);
      const { rows } = await this.db.query<{ highest: number | null }>(
        `SELECT MAX(${quote(key)}) AS highest FROM ${quote(table)}`,
      );
      const highest = rows[0]!.highest;
      if (counter && highest !== null && highest > counter.given)
        await this.db.query("SELECT setval($1, $2)", [counter.sequence, highest]);
    }
  }

  async brokenReferences(): Promise<BrokenReferences | null> {
    // The server has checked every row against every validated key: as rows arrived, or, for a
    // key set aside during a load, when it was added back (ADD CONSTRAINT reads every row, and
    // fails the transaction on a broken reference). So only a key it may not have checked is
    // read through here: one not validated, or any key at all when this session runs with
    // triggers off (replica mode). Normally that is none, at no cost: a second full scan of
    // every key would only repeat the server's own check.
    const role = (await this.db.query("SHOW session_replication_role")).rows[0].session_replication_role;
    const keys = (await this.db.query<ForeignKey>(FOREIGN_KEYS)).rows.filter(
      (key) => role !== "origin" || !key.validated,
    );
    let count = 0;
    let first: BrokenReferences["first"] | null = null;
    for (const key of keys) {
      const [column, parentColumn] = [quote(key.column), quote(key.parentColumn)];
      const { rows } = await this.db.query<{ n: number; row: number | null }>(
        `SELECT count(*) AS n, min(${key.hasId ? `c."id"` : `c.${column}`}) AS row FROM ${quote(key.child)} c
          WHERE c.${column} IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM ${quote(key.parent)} p WHERE p.${parentColumn} = c.${column})`,
      );
      const n = Number(rows[0]!.n);
      if (n === 0) continue;
      count += n;
      first ??= { table: key.child, rowid: Number(rows[0]!.row), parent: key.parent };
    }
    return first ? { count, first } : null;
  }

  async integrityProblem(): Promise<string | null> {
    // The foreign keys are checked by the server as rows arrive, unless a session turned their
    // triggers off (replica mode) or a key was added without checking the rows already there.
    const role = (await this.db.query("SHOW session_replication_role")).rows[0].session_replication_role;
    if (role !== "origin") return `foreign keys were not enforced (session_replication_role is ${role})`;
    const { rows } = await this.db.query<{ name: string }>(
      `SELECT conname AS name FROM pg_constraint
        WHERE contype = 'f' AND NOT convalidated AND connamespace = current_schema()::regnamespace`,
    );
    return rows.length > 0 ? `foreign keys not validated: ${rows.map((r) => r.name).join(", ")}` : null;
  }

  async commit(): Promise<void> {
    await this.db.query("COMMIT");
    this.open = false;
  }

  async close(): Promise<void> {
    try {
      if (this.open) await this.db.query("ROLLBACK");
    } catch {
      // A broken connection: the server rolls the transaction back when it goes.
    } finally {
      this.open = false;
      await this.db.end().catch(() => {});
    }
  }
}

/** How long an exclusive write waits for another transaction's lock before it gives up and says so. */
const LOCK_TIMEOUT = "15s";

async function connect(url: string): Promise<pg.Client> {
  const db = new pg.Client({ connectionString: url, types: sqliteLikeTypes, options: "-c TimeZone=UTC" });
  try {
    await db.connect();
  } catch (error) {
    await db.end().catch(() => {});
    throw new Error(`Cannot connect to ${describePostgresUrl(url)}: ${(error as Error).message}`);
  }
  return db;
}

export function postgresWriteEngine(url: string): WriteEngine {
  return {
    kind: "postgresql",
    async beginReadOnly() {
      const session = new PostgresWriteSession(await connect(url));
      try {
        await session.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      } catch (error) {
        await session.close();
        throw error;
      }
      return session;
    },
    async beginExclusiveWrite(tables) {
      const db = await connect(url);
      const session = new PostgresWriteSession(db);
      try {
        await db.query("BEGIN");
        await db.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
        await db.query(`LOCK TABLE ${tables.map(quote).join(", ")} IN EXCLUSIVE MODE`);
      } catch (error) {
        await session.close();
        throw error;
      }
      return session;
    },
  };
}
