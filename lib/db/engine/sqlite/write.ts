// The write side of the seam on a SQLite file (better-sqlite3): one transaction on a
// connection of its own, with the tricks that make a restore fast here kept inside it.
//
// Exclusive write: BEGIN IMMEDIATE takes the write lock, held to the end, so no other write can
// slip in. In WAL mode readers on other connections go on seeing the last commit whatever the
// transaction does (readersSeeLastCommit), so a safety snapshot (a copy of the file by the
// backup API, on a thread of its own) is written while the restore loads, and waited for
// only before COMMIT.
//
// A bulk load (a restore) gets a connection on a thread of its own (lib/db/sqlite-thread.ts):
// it inserts the records already checked while the caller reads and checks the next ones.
// Emptying the tables drops their indexes (building an index once from sorted data is several
// times faster than updating it per row); once a table's records are all in, that thread
// rebuilds its indexes while the caller reads the next table. A duplicate in a unique column
// then fails at the rebuild. Foreign keys are off for the session: every reference is checked
// once before COMMIT (brokenReferences, foreign-keys.ts); checked per row, the load was slower
// (measured at 100k: the inserting thread became the one waited for, and the tables were then
// emptied row by row).
//
// What is not committed is rolled back by `close()`, which closes the connection, or by SQLite
// itself when the process dies (the next opening of the file ignores uncommitted WAL frames):
// the file then holds exactly what it held before.
import { databasePath } from "@/lib/config";
import { findBrokenReferences } from "@/lib/db/engine/sqlite/foreign-keys";
import type {
  BrokenReferences,
  BulkInsert,
  BulkTable,
  ExclusiveWriteOptions,
  IdCounters,
  SqlRunner,
  WriteEngine,
  WriteSession,
  WriteValue,
} from "@/lib/db/engine/write-types";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";
import { openSqlite, sqlRunner, type SqlConnection } from "@/lib/db/sqlite";
import { openSqliteThread } from "@/lib/db/sqlite-thread";

type Connection = SqlConnection & { close(): void };

/** An index a bulk load dropped, with the SQL that builds it again. */
interface DroppedIndex {
  name: string;
  sql: string;
  table: string;
}

const hasSequenceTable = (db: SqlConnection) =>
  Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get());

/** The highest id each table's AUTOINCREMENT counter has given out (sqlite_sequence; 0 where none). */
function idsGivenOut(db: SqlConnection, tables: readonly { table: string }[]): Record<string, number> {
  const known = hasSequenceTable(db);
  const seq = known ? db.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?").pluck() : null;
  return Object.fromEntries(tables.map(({ table }) => [table, Number(seq?.get(table) ?? 0)]));
}

/** Rows handed to the connection's thread (or run at once on a plain connection), indexes rebuilt per table. */
class SqliteBulkInsert implements BulkInsert {
  readonly finishing = "rebuilding indexes";
  private readonly rows = new Map<string, { sql: string; links: string[]; tables: string[] }>();
  private readonly run: (sql: string, params: readonly unknown[]) => void;

  constructor(
    private readonly db: SqlConnection,
    tables: readonly BulkTable[],
    private readonly rebuild: (tables: readonly string[], inOrder: boolean) => void,
  ) {
    for (const t of tables) {
      this.rows.set(t.name, {
        sql: `INSERT INTO ${quote(t.table)} (${t.columns.map(quote).join(", ")}) VALUES (${t.columns.map(() => "?").join(", ")})`,
        links: t.links.map(
          (l) => `INSERT INTO ${quote(l.table)} (${quote(l.ownColumn)}, ${quote(l.targetColumn)}) VALUES (?, ?)`,
        ),
        tables: [t.table, ...t.links.map((l) => l.table)],
      });
    }
    const queue = db.queue?.bind(db);
    if (queue) this.run = (sql, params) => queue(sql, params as unknown[]);
    else {
      const statements = new Map<string, ReturnType<SqlConnection["prepare"]>>();
      this.run = (sql, params) => {
        let statement = statements.get(sql);
        if (!statement) statements.set(sql, (statement = db.prepare(sql)));
        statement.run(params);
      };
    }
  }

  insert(name: string, key: number, values: readonly WriteValue[], links: readonly (readonly number[])[]): void {
    const table = this.rows.get(name)!;
    this.run(table.sql, values);
    table.links.forEach((sql, i) => {
      for (const target of links[i]!) this.run(sql, [key, target]);
    });
  }

  /**
   * The table's indexes, built on the inserting thread while the caller reads the next table
   * (at 100k, reading the notifications meanwhile hid ~0.4 s of the 1.2 s the indexes take).
   */
  tableEnd(name: string): void {
    this.rebuild(this.rows.get(name)!.tables, true);
  }

  /** A refused file's rows go with the roll back: nothing to finish. */
  async abandon(): Promise<void> {}

  /** The connection's thread applies back-pressure as rows are handed over (sqlite-thread.ts): nothing to wait for here. */
  async ready(): Promise<void> {}

  /** Every index not rebuilt yet; waits for every row, and throws what the database refused. */
  async finish(): Promise<void> {
    this.rebuild([...new Set([...this.rows.values()].flatMap((t) => t.tables))], false);
    // A call that waits: the thread answers it after every write handed over before it.
    this.db.prepare("SELECT 1").get();
  }
}

class SqliteWriteSession implements WriteSession {
  readonly readersSeeLastCommit = true;
  readonly checkNames = { references: "foreign_key_check", integrity: "quick_check" };
  private readonly runner: SqlRunner;
  private readonly dropped: DroppedIndex[] = [];

  constructor(private readonly db: Connection) {
    this.runner = sqlRunner(db);
  }

  get<T>(sql: string, params?: readonly WriteValue[]): Promise<T | undefined> {
    return this.runner.get<T>(sql, params);
  }

  all<T>(sql: string, params?: readonly WriteValue[]): Promise<T[]> {
    return this.runner.all<T>(sql, params);
  }

  run(sql: string, params?: readonly WriteValue[]): Promise<{ changes: number }> {
    return this.runner.run(sql, params);
  }

  async counts(tables: readonly string[]): Promise<Record<string, number>> {
    return Object.fromEntries(
      tables.map((t) => [
        t,
        this.db
          .prepare(`SELECT COUNT(*) FROM ${quote(t)}`)
          .pluck()
          .get() as number,
      ]),
    );
  }

  async emptyTables(tables: readonly string[]): Promise<void> {
    const indexes = this.db
      .prepare(
        `SELECT name, sql, tbl_name AS "table" FROM sqlite_master
          WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map(() => "?").join(", ")})`,
      )
      .all(...tables) as DroppedIndex[];
    for (const index of indexes) {
      this.db.exec(`DROP INDEX ${quote(index.name)}`);
      this.dropped.push(index);
    }
    // With no index, trigger or enforced foreign key left, SQLite empties each table whole.
    for (const table of tables) this.db.prepare(`DELETE FROM ${quote(table)}`).run();
  }

  bulkInsert(tables: readonly BulkTable[]): BulkInsert {
    return new SqliteBulkInsert(this.db, tables, (of, inOrder) => this.rebuildIndexes(of, inOrder));
  }

  /**
   * Builds the dropped indexes of `tables` again. `inOrder`: handed to the connection's thread
   * after the rows before them, the caller going on (a plain connection builds them at once).
   */
  private rebuildIndexes(tables: readonly string[], inOrder: boolean): void {
    const queue = inOrder ? this.db.queue?.bind(this.db) : undefined;
    for (const index of [...this.dropped]) {
      if (!tables.includes(index.table)) continue;
      if (queue) queue(index.sql, []);
      else this.db.exec(index.sql);
      this.dropped.splice(this.dropped.indexOf(index), 1);
    }
  }

  async resetSequences(tables: readonly { table: string; key: string }[]): Promise<void> {
    if (!hasSequenceTable(this.db)) return;
    for (const { table, key } of tables) {
      this.db.prepare("DELETE FROM sqlite_sequence WHERE name = ?").run(table);
      this.db
        .prepare(
          `INSERT INTO sqlite_sequence (name, seq) SELECT ?, MAX(${quote(key)}) FROM ${quote(table)} HAVING COUNT(*) > 0`,
        )
        .run(table);
    }
  }

  async idsGivenOut(tables: readonly { table: string; key: string }[]): Promise<Record<string, number>> {
    return idsGivenOut(this.db, tables);
  }

  async advanceSequences(tables: readonly { table: string; key: string }[]): Promise<void> {
    // SQLite moves an AUTOINCREMENT counter past an id inserted above it by itself; this makes
    // sure of it, never moving one back.
    if (!hasSequenceTable(this.db)) return;
    for (const { table, key } of tables) {
      const highest = this.db
        .prepare(`SELECT MAX(${quote(key)}) FROM ${quote(table)}`)
        .pluck()
        .get() as number | null;
      if (highest === null) continue;
      const given = idsGivenOut(this.db, [{ table }])[table]!;
      if (highest <= given) continue;
      this.db.prepare("DELETE FROM sqlite_sequence WHERE name = ?").run(table);
      this.db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)").run(table, highest);
    }
  }

  async brokenReferences(): Promise<BrokenReferences | null> {
    return findBrokenReferences(this.db);
  }

  async integrityProblem(): Promise<string | null> {
    // quick_check checks every page and record (O(N), ~4× faster than integrity_check); what it
    // skips, index-vs-table agreement, SQLite maintains itself on the inserts just made.
    const result = this.db.pragma("quick_check", { simple: true });
    return result === "ok" ? null : String(result);
  }

  async commit(): Promise<void> {
    // Indexes a load dropped are back before anything is kept, whatever the caller did.
    this.rebuildIndexes(
      this.dropped.map((index) => index.table),
      false,
    );
    this.db.exec("COMMIT");
  }

  async close(): Promise<void> {
    // Closing the connection rolls back what was not committed (SQLite discards it).
    this.db.close();
  }
}

/** A connection for a session: foreign keys checked once before COMMIT, a small page cache. */
function connect(file: string, options: ExclusiveWriteOptions): Connection {
  const db: Connection = options.bulkLoad ? openSqliteThread(file) : openSqlite(file);
  try {
    db.pragma("foreign_keys = OFF");
    // 4 MiB instead of 16: as fast (measured at 100k) and ~30 MiB less at peak.
    db.pragma("cache_size = -4096");
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** A read-only transaction on one moment of the file: a merge's dry run. */
export function beginReadOnly(file: string): SqlRunner & IdCounters & { close(): Promise<void> } {
  const db = openSqlite(file, { readonly: true });
  try {
    db.exec("BEGIN");
    // BEGIN alone takes the snapshot at the first read.
    db.prepare("SELECT count(*) FROM sqlite_master").get();
  } catch (error) {
    db.close();
    throw error;
  }
  const runner = sqlRunner(db);
  return {
    ...runner,
    idsGivenOut: async (tables) => idsGivenOut(db, tables),
    close: async () => {
      if (db.inTransaction) db.exec("ROLLBACK");
      db.close();
    },
  };
}

/** The write side of the SQLite file `url` names (a `file:` URL or a path). */
export function sqliteWriteEngine(url: string): WriteEngine {
  const file = databasePath(url);
  return {
    kind: "sqlite",
    file,
    beginReadOnly: async () => beginReadOnly(file),
    async beginExclusiveWrite(_tables, options = {}) {
      const db = connect(file, options);
      try {
        db.exec("BEGIN IMMEDIATE");
      } catch (error) {
        db.close();
        throw error;
      }
      return new SqliteWriteSession(db);
    },
  };
}
