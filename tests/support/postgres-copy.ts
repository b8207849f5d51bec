// Copies every row of a SQLite file's backed-up tables as it is into a migrated PostgreSQL
// database, so both engines hold the same data and their exports can be compared (tests and
// bench/postgres.ts; no test runner here, so the bench can load it). Not the restore: the export
// tests must not depend on what they are meant to check it against.
import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { withPostgres, type Postgres } from "@/lib/db/postgres/connection";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";
import { openSqlite, type Sqlite } from "@/lib/db/sqlite";

/** Rows sent per INSERT: one text array per column, so the statement's size is what limits it. */
const BATCH = 5000;

/** Every backed-up table: the models' own and their many-to-many tables. */
const BACKED_UP_TABLES = BACKUP_MODELS.flatMap((m) => [m.table, ...m.manyToMany.map((r) => r.table)]);

async function columnTypes(pg: Postgres, table: string): Promise<Map<string, string>> {
  const { rows } = await pg.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
    [quote(table)],
  );
  return new Map(rows.map((r) => [r.name, r.type]));
}

/**
 * A stored SQLite value as PostgreSQL's text input of it: SQLite's 0/1 booleans, its datetime
 * and JSON text and a double's shortest round-trip text all read back as the same value.
 */
const asText = (value: unknown): string | null => (value === null ? null : String(value));

async function copyTable(sqlite: Sqlite, pg: Postgres, table: string): Promise<number> {
  const rows = sqlite.prepare(`SELECT * FROM ${quote(table)}`).raw();
  const names = rows.columns().map((c) => c.name);
  const types = await columnTypes(pg, table);
  const casts = names.map((n, i) => `c${i}::${types.get(n) ?? "text"}`);
  const sql = `INSERT INTO ${quote(table)} (${names.map(quote).join(", ")})
               SELECT ${casts.join(", ")} FROM unnest(${names.map((_, i) => `$${i + 1}::text[]`).join(", ")})
                 AS u(${names.map((_, i) => `c${i}`).join(", ")})`;
  let batch: (string | null)[][] = names.map(() => []);
  let copied = 0;
  const send = async () => {
    if (batch[0]!.length === 0) return;
    await pg.query(sql, batch);
    copied += batch[0]!.length;
    batch = names.map(() => []);
  };
  for (const row of rows.iterate() as Iterable<unknown[]>) {
    row.forEach((value, i) => batch[i]!.push(asText(value)));
    if (batch[0]!.length >= BATCH) await send();
  }
  await send();
  return copied;
}

/** Copies every backed-up table of a SQLite file into a PostgreSQL database of the same schema, and moves its sequences past the keys. */
export async function copySqliteToPostgres(file: string, url: string): Promise<number> {
  return withPostgres(url, async (pg) => {
    const db = openSqlite(file, { readonly: true });
    try {
      await pg.query("BEGIN");
      // Rows go in table by table, references before what they point at may come: checked at COMMIT.
      await pg.query("SET CONSTRAINTS ALL DEFERRED");
      await pg.query("SET LOCAL session_replication_role = replica");
      let rows = 0;
      for (const table of BACKED_UP_TABLES) rows += await copyTable(db, pg, table);
      const { rows: serials } = await pg.query<{ table: string; column: string }>(
        `SELECT table_name AS table, column_name AS column FROM information_schema.columns
          WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
      );
      for (const { table, column } of serials) {
        await pg.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), (SELECT coalesce(max(${quote(column)}), 0) + 1 FROM ${quote(table)}), false)`,
          [quote(table), column],
        );
      }
      await pg.query("COMMIT");
      return rows;
    } catch (error) {
      await pg.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      db.close();
    }
  });
}
