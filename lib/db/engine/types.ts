// The engine seam, read side: what the backup engine (export, counts, storage figures) asks
// of a database, whichever engine holds it. Everything is async, as PostgreSQL's driver is;
// the SQLite implementation answers synchronously underneath. Nothing above lib/db names an
// engine: it asks `readEngine()` (index.ts) for one and talks to these interfaces.
//
// The write side (restore, merge, roll back, safety snapshots) is write-types.ts.
import type { DatabaseEngine } from "@/lib/config";

export type { DatabaseEngine };

/** Value types of the schema's scalar columns (Prisma's names). */
export type ValueType = "Int" | "Float" | "String" | "Boolean" | "DateTime" | "Json";

/** A many-to-many join table, read from one side: the keys linked to a row, in key order. */
export interface LinkTable {
  table: string;
  /** Column holding the row's own key, and the one holding the linked key. */
  ownColumn: string;
  targetColumn: string;
}

/**
 * How one record's JSON text is made from a row of `table`, piece by piece: constant text,
 * the JSON text of a column's value, or the comma-separated keys a join table links to the
 * row (without brackets). The backup format decides the pieces (lib/backup/export); the
 * engine only writes values, so the text is the same from every engine.
 *
 * Value text: Int and Float as JSON numbers (shortest round-trip form, whole floats without
 * a fraction), Boolean true/false, String a JSON string, Json the stored JSON text as it is,
 * DateTime a JSON string `YYYY-MM-DDTHH:MM:SS[.fff|.ffffff]Z` in UTC, left out when the fraction
 * is zero: SQLite keeps the digits as stored (3, or 6 from a backup with microseconds);
 * PostgreSQL keeps microseconds only, so there milliseconds when the microseconds are whole ones,
 * else six digits (the same text for every value Prisma or a Django backup writes); null for NULL.
 */
export type RecordTextPart = { text: string } | { column: string; type: ValueType } | { links: LinkTable };

export interface RecordTextPlan {
  table: string;
  /** The integer primary key column: pages follow its order. */
  key: string;
  parts: RecordTextPart[];
}

/** A page of record text, in key order. */
export interface RecordTextPage {
  /** Records in the page, and the key of the last one. */
  count: number;
  last: number;
  /** UTF-8 records, each preceded by ",\n". */
  document: Buffer;
}

export interface ReadSnapshotOptions {
  /** Records per page at most. */
  pageSize: number;
  /** Let the engine write pages on a second thread or connection where it has one (SQLite: a text thread). */
  parallel?: boolean;
}

/**
 * One consistent view of the database (a read transaction) while the app keeps writing:
 * everything read through it belongs to the same moment. Close it when done.
 */
export interface ReadSnapshot {
  /** The latest migration applied (a backup's `schema_version`), or null. */
  schemaVersion(): Promise<string | null>;
  /** Rows per table. */
  counts(tables: readonly string[]): Promise<Record<string, number>>;
  /** The record text of `plans[index]` (as given to openReadSnapshot), page by page in key order. */
  recordTextPages(index: number): AsyncGenerator<RecordTextPage>;
  close(): Promise<void>;
}

/** How big the database is where it is kept. */
export interface DatabaseSize {
  /** Where it is: a file path, or the URL without credentials. */
  location: string;
  /** The database (the main file, or the server's database size). */
  bytes: number;
  /** Its write-ahead log where it is the database's own (SQLite's -wal file); 0 elsewhere. */
  logBytes: number;
}

export interface ReadEngine {
  readonly kind: DatabaseEngine;
  /** Starts a consistent read of the database: `plans` are the record texts it may be asked for. */
  openReadSnapshot(plans: readonly RecordTextPlan[], options: ReadSnapshotOptions): Promise<ReadSnapshot>;
  /** Rows per table, each counted on its own (no snapshot). */
  counts(tables: readonly string[]): Promise<Record<string, number>>;
  schemaVersion(): Promise<string | null>;
  size(): Promise<DatabaseSize>;
  /** Bytes each table takes with its indexes, and the total of all the lab's tables (the engine's bookkeeping left out). */
  tableBytes(tables: readonly string[]): Promise<{ byTable: Record<string, number>; total: number }>;
}
