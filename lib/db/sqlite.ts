// Raw SQLite connections for the bulk paths (export, restore, snapshots, seeding),
// which run an order of magnitude faster on prepared statements than through Prisma.
import Database from "better-sqlite3";

import { databasePath } from "@/lib/config";

export type Sqlite = Database.Database;

/** A table, column or index name as a quoted SQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export interface OpenOptions {
  readonly?: boolean;
  /** Fail instead of creating a missing file. */
  mustExist?: boolean;
}

export function openSqlite(file = databasePath(), options: OpenOptions = {}): Sqlite {
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.mustExist ?? options.readonly ?? false,
  });
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  if (!options.readonly) db.pragma("journal_mode = WAL");
  return db;
}

/** Runs fn with a connection that is closed afterwards, whatever happens. */
export function withSqlite<T>(fn: (db: Sqlite) => T, file?: string, options?: OpenOptions): T {
  const db = openSqlite(file, options);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
