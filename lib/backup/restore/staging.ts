// A scratch SQLite file that receives a backup's rows while the file is validated. The
// restore's transaction then copies them table to table inside SQLite (INSERT … SELECT)
// instead of parsing the file a second time, and the rows it loads are exactly the rows
// that were validated, even if the file changes on disk meanwhile.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { BACKUP_MODELS, BACKUP_TABLES } from "@/lib/backup/format/schema-model";
import { createTableLoader, type TableLoader } from "@/lib/backup/restore/loader";
import { dataDir } from "@/lib/config";
import { openSqlite, quoteIdentifier as quote, type Sqlite } from "@/lib/db/sqlite";

const SCHEMA_NAME = "staging";

export interface Staging {
  file: string;
  loader: TableLoader;
  /** Ends the staging writes; call once validation has finished. */
  seal(): void;
  /** Deletes the scratch file (always, whatever happened). */
  remove(): void;
}

/** A staging file next to the data, with the live tables' own definitions (no indexes, no FK checks). */
export function createStaging(live: Sqlite): Staging {
  fs.mkdirSync(dataDir(), { recursive: true });
  const file = path.join(dataDir(), `restore-staging-${randomBytes(4).toString("hex")}.sqlite3`);
  const db = openSqlite(file);
  // Scratch data: no journal, no fsync; a crash just leaves a file that is deleted next time.
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  db.pragma("foreign_keys = OFF");
  // Append-only writes: pages are written once, a small cache is enough.
  db.pragma("cache_size = -2048");
  const definitions = live.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").pluck();
  for (const table of BACKUP_TABLES) db.exec(definitions.get(table) as string);
  db.exec("BEGIN");
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    if (db.inTransaction) db.exec("COMMIT");
    db.close();
  };
  return {
    file,
    loader: createTableLoader(db),
    seal: close,
    remove() {
      close();
      // No journal beside it: it is written with journal_mode OFF.
      fs.rmSync(file, { force: true });
    },
  };
}

/** Removes staging files a killed restore left behind. */
export function removeStaleStaging(): void {
  if (!fs.existsSync(dataDir())) return;
  for (const name of fs.readdirSync(dataDir())) {
    if (/^restore-staging-[0-9a-f]{8}\.sqlite3/.test(name)) fs.rmSync(path.join(dataDir(), name), { force: true });
  }
}

/**
 * Copies every staged table into the live database (attached as "staging"), parents first,
 * then the join tables. Returns the records copied (join-table rows are not records);
 * `afterTable` sees the running total.
 */
export function copyStagedRows(db: Sqlite, afterTable: (records: number) => void): number {
  const copy = (table: string) =>
    db.prepare(`INSERT INTO main.${quote(table)} SELECT * FROM ${SCHEMA_NAME}.${quote(table)}`).run().changes;
  let records = 0;
  for (const model of BACKUP_MODELS) {
    records += copy(model.table);
    afterTable(records);
  }
  for (const model of BACKUP_MODELS) for (const rel of model.manyToMany) copy(rel.table);
  return records;
}

/**
 * Merge: copies only the staged records whose primary key is new, parents first, and the
 * many-to-many links of those records only; an existing row is never changed. A new record
 * that clashes with an existing one on a unique value (a username, a user's profile) is
 * skipped. Returns per label the records added; the rest of the file's were skipped.
 */
export function mergeStagedRows(db: Sqlite): Record<string, number> {
  const added: Record<string, number> = {};
  for (const model of BACKUP_MODELS) {
    const table = quote(model.table);
    const pk = quote(model.pk.column);
    db.exec(
      `CREATE TEMP TABLE merge_new AS SELECT ${pk} AS id FROM ${SCHEMA_NAME}.${table} WHERE ${pk} NOT IN (SELECT ${pk} FROM main.${table})`,
    );
    added[model.label] = db
      .prepare(
        `INSERT OR IGNORE INTO main.${table} SELECT * FROM ${SCHEMA_NAME}.${table} WHERE ${pk} IN (SELECT id FROM merge_new)`,
      )
      .run().changes;
    for (const rel of model.manyToMany) {
      const own = quote(rel.ownColumn);
      db.prepare(
        `INSERT OR IGNORE INTO main.${quote(rel.table)} SELECT * FROM ${SCHEMA_NAME}.${quote(rel.table)}
         WHERE ${own} IN (SELECT id FROM merge_new) AND ${own} IN (SELECT ${pk} FROM main.${table})`,
      ).run();
    }
    db.exec("DROP TABLE merge_new");
  }
  return added;
}

export function attachStaging(db: Sqlite, staging: Staging): void {
  db.prepare(`ATTACH DATABASE ? AS ${SCHEMA_NAME}`).run(staging.file);
}
