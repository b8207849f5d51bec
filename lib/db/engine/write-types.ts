// The engine seam, write side: restore, merge and roll back write through a WriteSession, one
// exclusive write transaction on the live database. Like the read side (types.ts) it is async,
// as PostgreSQL's driver is; nothing above lib/db names an engine.
//
// SQL given to a session is the common dialect of both engines: `?` placeholders, TRUE/FALSE
// for booleans, double-quoted names. Rows come back as SQLite gives them, whichever engine
// answers: booleans 0/1, datetimes in the stored text form (`2024-01-02T03:04:05.678901+00:00`),
// JSON as its text, integers as numbers. So the backup engine's rules for accounts, kept rows
// and notices are written once.
import type { DatabaseEngine } from "@/lib/config";

export type WriteValue = string | number | bigint | boolean | null;
export type WriteRow = Record<string, unknown>;

/** A table a bulk insert fills, and what it needs filled before it. */
export interface BulkTable {
  /** The name rows are handed over under (a model's name). */
  name: string;
  table: string;
  /** Every column, in the order a row's values come; the first is the integer key. */
  columns: readonly string[];
  /** Names of the bulk tables its rows refer to (itself left out). */
  dependsOn: readonly string[];
  /** Join tables filled from each row's links: (own key, target key) pairs. */
  links: readonly { table: string; ownColumn: string; targetColumn: string }[];
}

/**
 * Rows handed over as a file is read, a table's rows together. `insert` never waits; `ready`
 * resolves when the engine has caught up enough for more (memory holds only what it has not
 * taken yet); `finish` waits for every row and throws what the database refused.
 */
export interface BulkInsert {
  insert(name: string, key: number, values: readonly WriteValue[], links: readonly (readonly number[])[]): void;
  tableEnd(name: string): void;
  ready(): Promise<void>;
  finish(): Promise<void>;
  /**
   * Stops a load that will be rolled back (a refused file) without finishing it: what was
   * inserted goes with the roll back. Where absent, the caller calls `finish` and ignores what
   * it throws.
   */
  abandon?(): Promise<void>;
  /**
   * What `finish` mostly waits for, in the words a restore's progress shows (SQLite: rebuilding
   * the indexes it dropped); by default, the database taking every record.
   */
  readonly finishing?: string;
}

export interface BrokenReferences {
  count: number;
  first: { table: string; rowid: number; parent: string };
}

/** What an engine's own checks are called, for the messages that quote them. */
export interface CheckNames {
  /** The check that found broken references (SQLite: foreign_key_check). */
  references: string;
  /** The database's own integrity check (SQLite: quick_check). */
  integrity: string;
}

/** SQL in the common dialect on a connection, inside its transaction. */
export interface SqlRunner {
  get<T = WriteRow>(sql: string, params?: readonly WriteValue[]): Promise<T | undefined>;
  all<T = WriteRow>(sql: string, params?: readonly WriteValue[]): Promise<T[]>;
  run(sql: string, params?: readonly WriteValue[]): Promise<{ changes: number }>;
}

/** What a table's id counter has given out: a merge's new ids start above it. */
export interface IdCounters {
  /** The highest id each table's counter has given out (0 when none), rows deleted since included. */
  idsGivenOut(tables: readonly { table: string; key: string }[]): Promise<Record<string, number>>;
}

/** One exclusive write transaction. Nothing is kept unless `commit()` is called; `close()` rolls back otherwise. */
export interface WriteSession extends SqlRunner, IdCounters {
  /**
   * Set where readers on other connections go on seeing the last commit whatever this
   * transaction does, emptying the tables included (SQLite in WAL mode): a safety snapshot of
   * the data being replaced may then be written while the load runs, and is waited for only
   * before COMMIT. Unset (PostgreSQL: emptying takes the tables from readers), it is waited for
   * before emptying.
   */
  readonly readersSeeLastCommit?: boolean;
  /** The names of brokenReferences' and integrityProblem's checks, where the engine's own are quoted. */
  readonly checkNames?: CheckNames;
  /** Rows per table, as this transaction sees them. */
  counts(tables: readonly string[]): Promise<Record<string, number>>;
  /**
   * Deletes every row of `tables` (children before parents). It may take the tables for this
   * transaction alone, readers included (PostgreSQL: TRUNCATE): take the safety snapshot first.
   */
  emptyTables(tables: readonly string[]): Promise<void>;
  /** A bulk insert into `tables` (given in foreign-key order), inside this transaction. */
  bulkInsert(tables: readonly BulkTable[]): BulkInsert;
  /** Points each table's id counter at its highest key (the next new row gets max + 1). */
  resetSequences(tables: readonly { table: string; key: string }[]): Promise<void>;
  /**
   * Moves each table's id counter past its highest key, never back (a merge: ids the counter
   * gave out before, to rows deleted since, are not given out again).
   */
  advanceSequences(tables: readonly { table: string; key: string }[]): Promise<void>;
  /** References that point to no row, in any table; null when none. */
  brokenReferences(): Promise<BrokenReferences | null>;
  /** Why the database is not sound, or null when its own check passes. */
  integrityProblem(): Promise<string | null>;
  commit(): Promise<void>;
  /** Ends the session; an uncommitted transaction is rolled back. */
  close(): Promise<void>;
}

export interface ExclusiveWriteOptions {
  /**
   * The session will empty `tables` and bulk-load them (a restore, not a merge's row-by-row
   * adding): an engine may give it a connection made for that (SQLite: one on a thread of its
   * own that inserts while the caller reads the next records).
   */
  bulkLoad?: boolean;
}

export interface WriteEngine {
  readonly kind: DatabaseEngine;
  /**
   * Where the database is one file on this machine (SQLite), that file: its safety snapshot is
   * then a consistent copy of the file, and a restore needs free disk beside it for that copy
   * and the data it loads. Unset for a database server (its safety snapshot is an export).
   */
  readonly file?: string;
  /**
   * Begins a transaction that no other write can enter until it ends (`tables` are those it
   * will change). Readers elsewhere go on seeing the last commit, so a safety snapshot of the
   * data being replaced can be taken while it runs.
   */
  beginExclusiveWrite(tables: readonly string[], options?: ExclusiveWriteOptions): Promise<WriteSession>;
  /**
   * A read-only transaction that sees one moment and takes no lock writers wait for (a merge's
   * dry run reads through it). `close()` ends it.
   */
  beginReadOnly(): Promise<SqlRunner & IdCounters & { close(): Promise<void> }>;
}

/** A plain transaction in the common dialect: for the app's smaller writes (clearing the archive). */
export interface SqlTransaction extends SqlRunner {
  commit(): Promise<void>;
  /** Ends it; rolled back unless committed. */
  close(): Promise<void>;
}

/** Plain transactions in the common dialect on whichever engine holds the database (transactions.ts). */
export interface SqlEngine {
  readonly kind: DatabaseEngine;
  /**
   * A write transaction that keeps every other writer of `tables` out until it ends (SQLite: of
   * the whole file). Readers on other connections go on seeing the last commit meanwhile, so a
   * copy of what it is about to change can be read while it waits.
   */
  beginWrite(tables: readonly string[]): Promise<SqlTransaction>;
  /** A read-only transaction that sees one moment and keeps no writer waiting; `close()` ends it. */
  beginRead(): Promise<SqlRunner & { close(): Promise<void> }>;
  /**
   * One statement in a transaction of its own (a History row). On SQLite it runs start to end
   * without yielding: a write transaction that awaited in between would let a second one in this
   * process wait for the lock synchronously, blocking the very event loop the first needs to finish.
   */
  runAlone(sql: string, params?: readonly WriteValue[]): Promise<void>;
  /**
   * After many rows of `tables` were deleted: gives their space back where the engine keeps it
   * as the table's (PostgreSQL: VACUUM, best effort, never waiting for readers); SQLite reuses
   * freed pages and no longer counts them as the table's, so there it does nothing.
   */
  reclaimSpace(tables: readonly string[]): Promise<void>;
}
