// Writes of whole records: the demo-data seeder's (createTableLoader, prepared statements on a
// SQLite connection inside the caller's transaction) and a merge's (createMergeLoaderOn, over
// either engine's SqlRunner). A restore bulk-loads through the engine seam (bulkInsert).
import type { DecodedRecord } from "@/lib/backup/format/record-schema";
import { BACKUP_MODELS, type ModelSpec } from "@/lib/backup/format/schema-model";
import type { MergePlan } from "@/lib/backup/restore/merge-plan";
import type { SqlRunner, WriteValue } from "@/lib/db/engine/write-types";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";
import { type SqlConnection } from "@/lib/db/sqlite";

export interface TableLoader {
  insert(model: ModelSpec, record: DecodedRecord): void;
  /** Empties every backed-up table (join tables first), children before parents. */
  deleteAll(): void;
  /** Points each AUTOINCREMENT counter at its table's highest id. */
  resetSequences(): void;
}

/** One INSERT per model and per many-to-many table. */
function insertSql() {
  const verb = "INSERT";
  const rows = new Map<string, string>();
  const links = new Map<string, string[]>();
  for (const m of BACKUP_MODELS) {
    const cols = m.columns.map((c) => quote(c.column)).join(", ");
    const marks = m.columns.map(() => "?").join(", ");
    rows.set(m.name, `${verb} INTO ${quote(m.table)} (${cols}) VALUES (${marks})`);
    links.set(
      m.name,
      m.manyToMany.map(
        (rel) => `${verb} INTO ${quote(rel.table)} (${quote(rel.ownColumn)}, ${quote(rel.targetColumn)}) VALUES (?, ?)`,
      ),
    );
  }
  return { rows, links };
}

/** The inserts run and waited for, one by one, on this connection. */
function insertStatements(db: SqlConnection) {
  const sql = insertSql();
  const rows = new Map([...sql.rows].map(([name, text]) => [name, db.prepare(text)]));
  const links = new Map([...sql.links].map(([name, texts]) => [name, texts.map((text) => db.prepare(text))]));
  return {
    row: (model: ModelSpec, record: DecodedRecord) => void rows.get(model.name)!.run(record.params),
    links(model: ModelSpec, record: DecodedRecord) {
      links.get(model.name)!.forEach((statement, i) => {
        for (const target of record.links[i]!) statement.run(record.pk, target);
      });
    },
  };
}

export function createTableLoader(db: SqlConnection): TableLoader {
  const inserts = insertStatements(db);
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
   * Adds a record the plan does not find in the database, under the id the plan gives it, with
   * every reference (many-to-many links included) rewritten to the ids the plan gives their
   * targets; of a record already present, only the file's links the database lacks are added
   * (ON CONFLICT DO NOTHING: its row and the links it has stay). An insert that clashes fails
   * the merge: the plan said it would not.
   */
  insert(model: ModelSpec, record: DecodedRecord): void;
  /** Records added so far per label: under their own id, and under a new one. */
  readonly added: Record<string, number>;
  readonly conflicts: Record<string, number>;
  /** Links added so far to records already present, per label. */
  readonly linked: Record<string, number>;
  /** Rows added so far per join table (links of added records and of present ones). */
  readonly linkRows: Record<string, number>;
}

/** A merge loader on any engine's connection: its writes queue on the connection, in order. */
export interface QueuedMergeLoader extends MergeLoader {
  /** Resolves when few enough writes are waiting for more; rejects with what the database refused. */
  ready(): Promise<void>;
  /** Waits for every write; throws the first the database refused. */
  finish(): Promise<void>;
}

/** Writes waiting at most before the reading of the file is held back. */
const QUEUED_WRITES = 500;

/**
 * The merge's writes on either engine (the rules MergeLoader states), over a SqlRunner: each
 * write is handed to the connection without waiting, the reading held back by `ready()`, and
 * the counts of what was added settled by `finish()`.
 */
export function createMergeLoaderOn(db: SqlRunner, plan: MergePlan): QueuedMergeLoader {
  const sql = insertSql();
  const zero = () => Object.fromEntries(BACKUP_MODELS.map((m) => [m.label, 0])) as Record<string, number>;
  const [added, conflicts, linked] = [zero(), zero(), zero()];
  const linkRows = Object.fromEntries(
    BACKUP_MODELS.flatMap((m) => m.manyToMany.map((rel) => [rel.table, 0])),
  ) as Record<string, number>;
  // A link the record has already is skipped: the join table's key is the pair (both engines).
  const linkMissing = new Map(
    BACKUP_MODELS.map((m) => [m.name, sql.links.get(m.name)!.map((text) => `${text} ON CONFLICT DO NOTHING`)]),
  );
  // One write after another, each handed over when the one before is answered (a connection
  // runs one statement at a time; pg@9 refuses a second one given while the first runs).
  let tail: Promise<void> = Promise.resolve();
  let waiting = 0;
  let refused: { error: unknown } | null = null;
  const write = (text: string, params: readonly WriteValue[], then?: (changes: number) => void) => {
    waiting++;
    tail = tail.then(async () => {
      try {
        if (refused) return;
        const { changes } = await db.run(text, params);
        then?.(changes);
      } catch (error) {
        refused = { error };
      } finally {
        waiting--;
      }
    });
  };
  const settle = async () => {
    await tail;
    if (refused) throw refused.error;
  };
  return {
    added,
    conflicts,
    linked,
    linkRows,
    insert(model, record) {
      if (plan.isPresent(model.name, record.pk)) {
        const own = plan.idOf(model.name, record.pk);
        model.manyToMany.forEach((rel, i) => {
          for (const target of record.links[i]!)
            write(linkMissing.get(model.name)![i]!, [own, plan.idOf(rel.target, target)], (changes) => {
              linked[model.label]! += changes;
              linkRows[rel.table]! += changes;
            });
        });
        return;
      }
      const pk = plan.idOf(model.name, record.pk);
      const params = model.columns.map((column, i) => {
        const value = record.params[i]!;
        if (column.isId) return pk;
        return column.references && value !== null ? plan.idOf(column.references, value as number) : value;
      });
      write(sql.rows.get(model.name)!, params as WriteValue[]);
      model.manyToMany.forEach((rel, i) => {
        for (const target of record.links[i]!)
          write(sql.links.get(model.name)![i]!, [pk, plan.idOf(rel.target, target)]);
        linkRows[rel.table]! += record.links[i]!.length;
      });
      (pk === record.pk ? added : conflicts)[model.label]!++;
    },
    ready: () => (waiting >= QUEUED_WRITES || refused ? settle() : Promise.resolve()),
    finish: settle,
  };
}
