// The foreign-key check before a restore commits. PRAGMA foreign_key_check reads every row of
// every child table and looks its parent up (100k rows: 0.5–0.9 s). Asking of each key the
// database declares whether any of its values is missing from the parent reads only the
// index on that column, which the restore has just rebuilt (0.1 s). Only when that finds
// something does foreign_key_check run, to say which rows.
import type { BrokenReferences } from "@/lib/db/engine/write-types";
import { NOT_LITESTREAM_TABLE } from "@/lib/db/litestream-tables";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";
import { type SqlConnection } from "@/lib/db/sqlite";

interface DeclaredKey {
  id: number;
  table: string;
  from: string;
  to: string | null;
}

/** The query that finds a value of this key with no parent; null where it takes more than one column. */
function missingParentQuery(child: string, keys: DeclaredKey[]): string | null {
  const [key] = keys;
  if (keys.length !== 1 || !key || key.to === null) return null;
  const [column, parentColumn] = [quote(key.from), quote(key.to)];
  // A NULL among the parent's values would make every NOT IN unknown, hiding what is missing.
  return (
    `SELECT EXISTS (SELECT 1 FROM ${quote(child)} WHERE ${column} IS NOT NULL AND ${column} NOT IN ` +
    `(SELECT ${parentColumn} FROM ${quote(key.table)} WHERE ${parentColumn} IS NOT NULL))`
  );
}

function hasMissingParent(db: SqlConnection, child: string): boolean {
  const declared = db.pragma(`foreign_key_list(${quote(child)})`) as DeclaredKey[];
  const byKey = new Map<number, DeclaredKey[]>();
  for (const key of declared) byKey.set(key.id, [...(byKey.get(key.id) ?? []), key]);
  const queries = [...byKey.values()].map((keys) => missingParentQuery(child, keys));
  // foreign_key_check of the table checks all its keys at once: one run answers for them all.
  if (queries.includes(null)) return (db.pragma(`foreign_key_check(${quote(child)})`) as unknown[]).length > 0;
  return queries.some((query) => db.prepare(query!).pluck().get() === 1);
}

/**
 * The references that point to no row, as foreign_key_check lists them; null when none. Every
 * table is asked, not only the restored ones: the app's own tables may refer to a user too.
 */
export function findBrokenReferences(db: SqlConnection): BrokenReferences | null {
  const tables = db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND ${NOT_LITESTREAM_TABLE}`,
    )
    .pluck()
    .all() as string[];
  if (!tables.some((table) => hasMissingParent(db, table))) return null;
  const dangling = db.pragma("foreign_key_check") as BrokenReferences["first"][];
  const [first] = dangling;
  return first
    ? { count: dangling.length, first: { table: first.table, rowid: first.rowid, parent: first.parent } }
    : null;
}
