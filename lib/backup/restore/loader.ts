// Bulk writes for a reload: prepared statements on one connection, used inside the
// caller's transaction. Shared by restore and by the demo-data seeder; a merge adds
// records through its own loader (createMergeLoader).
import type Database from "better-sqlite3";

import type { DecodedRecord } from "@/lib/backup/format/record-schema";
import { BACKUP_MODELS, BACKUP_TABLES, type ModelSpec } from "@/lib/backup/format/schema-model";
import { quoteIdentifier as quote, type Sqlite } from "@/lib/db/sqlite";

export interface TableLoader {
  insert(model: ModelSpec, record: DecodedRecord): void;
  /** Empties every backed-up table (join tables first), children before parents. */
  deleteAll(): void;
  /** Points each AUTOINCREMENT counter at its table's highest id. */
  resetSequences(): void;
  /**
   * Drops the backed-up tables' indexes for a bulk load (building an index once from sorted
   * data is several times faster than updating it per row); returns what recreates them,
   * from their own stored SQL. A duplicate in a unique column then fails at the recreate.
   */
  dropIndexes(): () => void;
}

type Statement = Database.Statement<unknown[]>;

/** One INSERT per model and per many-to-many table; `orIgnore` skips a row that clashes. */
function insertStatements(db: Sqlite, orIgnore: boolean) {
  const verb = orIgnore ? "INSERT OR IGNORE" : "INSERT";
  const rows = new Map<string, Statement>();
  const links = new Map<string, Statement[]>();
  for (const m of BACKUP_MODELS) {
    const cols = m.columns.map((c) => quote(c.column)).join(", ");
    const marks = m.columns.map(() => "?").join(", ");
    rows.set(m.name, db.prepare(`${verb} INTO ${quote(m.table)} (${cols}) VALUES (${marks})`));
    links.set(
      m.name,
      m.manyToMany.map((rel) =>
        db.prepare(
          `${verb} INTO ${quote(rel.table)} (${quote(rel.ownColumn)}, ${quote(rel.targetColumn)}) VALUES (?, ?)`,
        ),
      ),
    );
  }
  return {
    /** Inserts the record's row; true when it was written (not skipped). */
    row: (model: ModelSpec, record: DecodedRecord) => rows.get(model.name)!.run(record.params).changes > 0,
    links(model: ModelSpec, record: DecodedRecord) {
      links.get(model.name)!.forEach((statement, i) => {
        for (const target of record.links[i]!) statement.run(record.pk, target);
      });
    },
  };
}

export function createTableLoader(db: Sqlite): TableLoader {
  const inserts = insertStatements(db, false);
  const hasSequenceTable = Boolean(
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get(),
  );

  return {
    insert(model, record) {
      inserts.row(model, record);
      inserts.links(model, record);
    },
    deleteAll() {
      for (const model of [...BACKUP_MODELS].reverse()) {
        for (const rel of model.manyToMany) db.prepare(`DELETE FROM ${quote(rel.table)}`).run();
        db.prepare(`DELETE FROM ${quote(model.table)}`).run();
      }
    },
    dropIndexes() {
      const indexes = db
        .prepare(
          `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${BACKUP_TABLES.map(() => "?").join(", ")})`,
        )
        .all(...BACKUP_TABLES) as { name: string; sql: string }[];
      for (const index of indexes) db.exec(`DROP INDEX ${quote(index.name)}`);
      return () => {
        for (const index of indexes) db.exec(index.sql);
      };
    },
    resetSequences() {
      if (!hasSequenceTable) return;
      for (const model of BACKUP_MODELS) {
        db.prepare("DELETE FROM sqlite_sequence WHERE name = ?").run(model.table);
        db.prepare(
          `INSERT INTO sqlite_sequence (name, seq) SELECT ?, MAX(${quote(model.pk.column)}) FROM ${quote(model.table)} HAVING COUNT(*) > 0`,
        ).run(model.table);
      }
    },
  };
}

export interface MergeLoader {
  /**
   * Adds a record whose primary key is new, with its many-to-many links; a record whose id is
   * taken, or that clashes with an existing row on a unique value (a username, a user's
   * profile), is skipped and changes nothing.
   */
  insert(model: ModelSpec, record: DecodedRecord): void;
  /** Records added so far, per label. */
  readonly added: Record<string, number>;
}

/** The indexes must stay in place: they are what finds a clash. */
export function createMergeLoader(db: Sqlite): MergeLoader {
  const inserts = insertStatements(db, true);
  const added: Record<string, number> = Object.fromEntries(BACKUP_MODELS.map((m) => [m.label, 0]));
  return {
    added,
    insert(model, record) {
      if (!inserts.row(model, record)) return;
      added[model.label]!++;
      inserts.links(model, record);
    },
  };
}
