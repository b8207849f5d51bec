// Rows per backed-up model: what a dry run compares with a file, and what a restore
// reports before and after.
import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { IdSet } from "@/lib/backup/verify/id-set";
import { databasePath, databaseUrl } from "@/lib/config";
import { readEngine } from "@/lib/db/engine";
import type { SqlRunner } from "@/lib/db/engine/write-types";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";
import { withSqlite, type SqlConnection } from "@/lib/db/sqlite";

export interface ModelCount {
  name: string;
  label: string;
  rows: number;
}

/** Row count per Django label, on an open connection (inside its transaction, if any). */
export function countRows(db: SqlConnection): Record<string, number> {
  return Object.fromEntries(
    BACKUP_MODELS.map((m) => [
      m.label,
      db
        .prepare(`SELECT COUNT(*) FROM ${quote(m.table)}`)
        .pluck()
        .get() as number,
    ]),
  );
}

/** Rows per model in the database at `url` (DATABASE_URL by default), whichever engine holds it. */
export async function databaseCounts(url = databaseUrl()): Promise<ModelCount[]> {
  const counts = await readEngine(url).counts(BACKUP_MODELS.map((m) => m.table));
  return BACKUP_MODELS.map((m) => ({ name: m.name, label: m.label, rows: counts[m.table] ?? 0 }));
}

/** Rows per model in a SQLite file (the CLIs that work on a file of their own). */
export function rowCounts(file = databasePath()): ModelCount[] {
  const counts = withSqlite(countRows, file, { readonly: true });
  return BACKUP_MODELS.map((m) => ({ name: m.name, label: m.label, rows: counts[m.label] ?? 0 }));
}

/** Every primary key in the database per label, inside the session's transaction: a merge's records may refer to rows it keeps. */
export async function existingKeysIn(live: SqlRunner): Promise<Map<string, IdSet>> {
  const keys = new Map<string, IdSet>();
  for (const m of BACKUP_MODELS) {
    const ids = new IdSet();
    for (const row of await live.all<{ id: number }>(`SELECT ${quote(m.pk.column)} AS id FROM ${quote(m.table)}`))
      ids.add(Number(row.id));
    keys.set(m.label, ids);
  }
  return keys;
}
