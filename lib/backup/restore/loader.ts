// Bulk writes for a reload: prepared statements on one connection, used inside the
// caller's transaction. Shared by restore and by the demo-data seeder.
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

export function createTableLoader(db: Sqlite): TableLoader {
  const rowInserts = new Map(
    BACKUP_MODELS.map((m) => {
      const cols = m.columns.map((c) => quote(c.column)).join(", ");
      const marks = m.columns.map(() => "?").join(", ");
      return [m.name, db.prepare(`INSERT INTO ${quote(m.table)} (${cols}) VALUES (${marks})`)];
    }),
  );
  const linkInserts = new Map(
    BACKUP_MODELS.flatMap((m) =>
      m.manyToMany.map((rel) => [
        `${m.name}.${rel.django}`,
        db.prepare(
          `INSERT INTO ${quote(rel.table)} (${quote(rel.ownColumn)}, ${quote(rel.targetColumn)}) VALUES (?, ?)`,
        ),
      ]),
    ),
  );
  const hasSequenceTable = Boolean(
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get(),
  );

  return {
    insert(model, record) {
      rowInserts.get(model.name)!.run(record.params);
      model.manyToMany.forEach((rel, i) => {
        const statement = linkInserts.get(`${model.name}.${rel.django}`)!;
        for (const target of record.links[i]!) statement.run(record.pk, target);
      });
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
