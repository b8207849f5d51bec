// Every foreign-key column leads an index, on both engines, as Django indexes every ForeignKey
// of the original app: without one, each parent row deleted or updated has the database scan
// the whole child table for references (per-row foreign-key triggers on PostgreSQL), and a
// join from the child side reads every row.
import { describe, expect, it } from "vitest";

import { withPostgres } from "@/lib/db/postgres/connection";
import { withSqlite } from "@/lib/db/sqlite";
import { freshDatabase } from "@/tests/support/db";
import { describeOnPostgres, freshPostgresDatabase } from "@/tests/support/postgres";

interface ForeignKeyColumn {
  key: string;
  indexed: boolean;
}

function sqliteForeignKeys(file: string): ForeignKeyColumn[] {
  return withSqlite((db) => {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    return tables.flatMap((table) => {
      const leading = new Set(
        (db.prepare("SELECT name FROM pragma_index_list(?)").pluck().all(table) as string[]).map(
          (index) => db.prepare("SELECT name FROM pragma_index_info(?) WHERE seqno = 0").pluck().get(index) as string,
        ),
      );
      // A single-column integer primary key is the table's own row order: that column leads too.
      for (const pk of db.prepare("SELECT name FROM pragma_table_info(?) WHERE pk = 1").pluck().all(table) as string[])
        leading.add(pk);
      const columns = db.prepare('SELECT "from" FROM pragma_foreign_key_list(?)').pluck().all(table) as string[];
      return columns.map((column) => ({ key: `${table}.${column}`, indexed: leading.has(column) }));
    });
  }, file);
}

async function postgresForeignKeys(url: string): Promise<ForeignKeyColumn[]> {
  return withPostgres(url, async (db) => {
    const { rows } = await db.query<{ key: string; indexed: boolean }>(
      `SELECT child.relname || '.' || a.attname AS key,
              EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1]) AS indexed
         FROM pg_constraint c
         JOIN pg_class child ON child.oid = c.conrelid
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`,
    );
    return rows;
  });
}

const sorted = (keys: ForeignKeyColumn[]) => keys.map((k) => k.key).sort();
const unindexed = (keys: ForeignKeyColumn[]) => keys.filter((k) => !k.indexed).map((k) => k.key);

describe("foreign-key indexes on SQLite", () => {
  it("gives every foreign-key column an index it leads", () => {
    const keys = sqliteForeignKeys(freshDatabase({ activate: false }));
    // The eight entities' 19 references, and both sides of the followed-presets link.
    expect(keys.length).toBe(21);
    expect(sorted(keys)).toContain("calendarEditor_notification.triggering_user_id");
    expect(unindexed(keys)).toEqual([]);
  });
});

describeOnPostgres("foreign-key indexes on PostgreSQL", () => {
  it("gives every foreign-key column an index it leads, the same columns as on SQLite", async () => {
    const keys = await postgresForeignKeys(await freshPostgresDatabase({ activate: false }));
    expect(sorted(keys)).toEqual(sorted(sqliteForeignKeys(freshDatabase({ activate: false }))));
    expect(unindexed(keys)).toEqual([]);
  });
});
