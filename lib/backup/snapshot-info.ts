// When a SQLite file's data was made, read from the file itself, never from its mtime (an
// upload, a copy or a download makes every file "new"):
//
// - our own snapshots carry the time they were taken (and, for a safety snapshot, what it was
//   taken before and the rows it holds) in a small table of their own, `_snapshot_info`. A
//   restore, an export, the checks and the storage figures read only the backed-up models'
//   tables, so the table is never restored, exported or counted; Django ignores a table it has
//   no model for;
// - any other SQLite file of this app's schema is as old as the newest time its rows record
//   (the times the app or Django stamp on a row when it is made or changed, and sign-ins).
import fs from "node:fs";

import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { toStoredDateTime } from "@/lib/backup/format/values";
import { quoteIdentifier } from "@/lib/db/quote-identifier";
import { openSqlite, type Sqlite } from "@/lib/db/sqlite";
import { formatDateTime } from "@/lib/format";

export const SNAPSHOT_INFO_TABLE = "_snapshot_info";

/** What a safety snapshot was taken before, as recorded in it. */
export interface SnapshotPurpose {
  kind: "restore" | "rollback" | "delete-account";
  /** The file restored (for a roll back, the snapshot's own description; for a deletion, the username). */
  label: string;
  actor: string;
  merge?: boolean;
  silent?: boolean;
  /** The file came from the original Django app: moving in. */
  fromOriginalApp?: boolean;
}

export interface RecordedSnapshotInfo {
  takenAt: string | null;
  purpose: SnapshotPurpose | null;
  /** Rows per Django label at the time it was taken. */
  counts: Record<string, number> | null;
}

/** How a SQLite file's made-time was found. */
export type MadeFrom = "snapshot-taken" | "newest-change" | "schema-migration";

export interface SqliteMade {
  at: string;
  from: MadeFrom;
}

/**
 * Where an exported snapshot (`.json.gz`, a safety snapshot on PostgreSQL) keeps its recorded
 * facts: a small file beside it. The export itself stays a plain backup, restorable anywhere.
 */
export function snapshotInfoSidecar(file: string): string {
  return `${file}.info.json`;
}

const isExportFile = (file: string) => file.endsWith(".json.gz");

function recordExportInfo(file: string, info: Partial<RecordedSnapshotInfo>): void {
  const sidecar = snapshotInfoSidecar(file);
  const old = fs.existsSync(sidecar)
    ? parseJson<Partial<RecordedSnapshotInfo>>(fs.readFileSync(sidecar, "utf8"))
    : null;
  const merged = { ...old, ...Object.fromEntries(Object.entries(info).filter(([, v]) => v)) };
  fs.writeFileSync(`${sidecar}.partial`, JSON.stringify(merged));
  fs.renameSync(`${sidecar}.partial`, sidecar);
}

function readExportInfo(file: string): RecordedSnapshotInfo | null {
  if (!fs.existsSync(file)) return null;
  const sidecar = snapshotInfoSidecar(file);
  const info = fs.existsSync(sidecar)
    ? parseJson<Partial<RecordedSnapshotInfo>>(fs.readFileSync(sidecar, "utf8"))
    : null;
  if (!info) return null;
  const takenAt = typeof info.takenAt === "string" ? toStoredDateTime(info.takenAt) : null;
  return {
    takenAt: takenAt ? new Date(takenAt).toISOString() : null,
    purpose: info.purpose ?? null,
    counts: info.counts ?? null,
  };
}

/** Writes (or replaces) the recorded facts in a snapshot file we just made. */
export function recordSnapshotInfo(file: string, info: Partial<RecordedSnapshotInfo>): void {
  if (isExportFile(file)) return recordExportInfo(file, info);
  const db = openSqlite(file, { mustExist: true });
  try {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(SNAPSHOT_INFO_TABLE)} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)`,
    );
    const put = db.prepare(`INSERT OR REPLACE INTO ${quoteIdentifier(SNAPSHOT_INFO_TABLE)} (key, value) VALUES (?, ?)`);
    db.transaction(() => {
      if (info.takenAt) put.run("taken_at", info.takenAt);
      if (info.purpose) put.run("purpose", JSON.stringify(info.purpose));
      if (info.counts) put.run("counts", JSON.stringify(info.counts));
    })();
    // Back to one file: the copy may have come over in WAL mode.
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
}

function parseJson<T>(text: string | undefined): T | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** The recorded facts of a snapshot, or null for a file that has none (another tool's copy, an older version's). */
function readSnapshotInfo(db: Sqlite): RecordedSnapshotInfo | null {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(SNAPSHOT_INFO_TABLE);
  if (!table) return null;
  const rows = db.prepare(`SELECT key, value FROM ${quoteIdentifier(SNAPSHOT_INFO_TABLE)}`).all() as {
    key: string;
    value: string;
  }[];
  const values = new Map(rows.map((r) => [r.key, String(r.value)]));
  const takenAt = values.get("taken_at");
  return {
    takenAt: takenAt && toStoredDateTime(takenAt) ? new Date(toStoredDateTime(takenAt)!).toISOString() : null,
    purpose: parseJson<SnapshotPurpose>(values.get("purpose")),
    counts: parseJson<Record<string, number>>(values.get("counts")),
  };
}

/** Reads a snapshot file's recorded facts; null when it has none or cannot be read. */
export function readSnapshotInfoOf(file: string): RecordedSnapshotInfo | null {
  if (isExportFile(file)) return readExportInfo(file);
  try {
    const db = openSqlite(file, { readonly: true, mustExist: true });
    try {
      return readSnapshotInfo(db);
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/**
 * Columns that record when a row was made or changed: those stamped with the time by the app
 * (Prisma's `@default(now())`, `@updatedAt`) or by Django (`auto_now`, `auto_now_add`), and a
 * user's last sign-in. Not dates people enter or times in the future (a reminder due, an
 * estimated start).
 */
const CHANGE_COLUMNS = BACKUP_MODELS.map((model) => ({
  table: model.table,
  columns: model.columns
    .filter(
      (c) =>
        c.type === "DateTime" && (c.updatedAt || c.default.kind === "now" || c.djangoAuto || c.column === "last_login"),
    )
    .map((c) => c.column),
})).filter((t) => t.columns.length > 0);

/** A day of slack for clocks; anything later is not a time the file could have been changed at. */
const FUTURE_SLACK_MS = 86_400_000;

function latest(values: unknown[], now: Date): Date | null {
  let newest: Date | null = null;
  for (const value of values) {
    if (typeof value !== "string") continue;
    const stored = toStoredDateTime(value);
    if (!stored) continue;
    const date = new Date(stored);
    if (Number.isNaN(date.getTime()) || date.getTime() > now.getTime() + FUTURE_SLACK_MS) continue;
    if (!newest || date > newest) newest = date;
  }
  return newest;
}

/** The newest time the file's rows record (one pass over each table); null when they record none. */
function newestChange(db: Sqlite, now = new Date()): Date | null {
  const values: unknown[] = [];
  for (const { table, columns } of CHANGE_COLUMNS) {
    const select = columns.map((c) => `MAX(${quoteIdentifier(c)})`).join(", ");
    values.push(
      ...(db
        .prepare(`SELECT ${select} FROM ${quoteIdentifier(table)}`)
        .raw()
        .get() as unknown[]),
    );
  }
  return latest(values, now);
}

/** When the schema was last migrated: what an empty database records of itself. */
function lastMigration(db: Sqlite, now: Date): Date | null {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
  if (!table) return null;
  return latest(db.prepare("SELECT MAX(finished_at) FROM _prisma_migrations").pluck().all(), now);
}

/**
 * When a SQLite file's data was made: the time our snapshot recorded when it was taken, unless
 * its rows record a later change (the file was changed since); otherwise the newest change its
 * rows record; for a database without any, when its schema was last migrated.
 */
export function sqliteMadeAt(db: Sqlite, now = new Date()): SqliteMade | null {
  const taken = readSnapshotInfo(db)?.takenAt;
  const changed = newestChange(db, now);
  if (taken && (!changed || changed.getTime() <= new Date(taken).getTime()))
    return { at: taken, from: "snapshot-taken" };
  if (changed) return { at: changed.toISOString(), from: "newest-change" };
  const migrated = lastMigration(db, now);
  return migrated ? { at: migrated.toISOString(), from: "schema-migration" } : null;
}

/**
 * What a safety snapshot holds, in words: "before restoring lab.json (merge, by ada)",
 * "before migration from the original app: restoring …", "before rolling back to …".
 */
export function describePurpose(purpose: SnapshotPurpose): string {
  const how = [purpose.merge ? "merge" : null, purpose.silent ? "silent" : null, `by ${purpose.actor}`]
    .filter(Boolean)
    .join(", ");
  if (purpose.kind === "delete-account") return `before deleting account ${purpose.label}, by ${purpose.actor}`;
  if (purpose.kind === "rollback") return `before rolling back to ${purpose.label} (${how})`;
  if (purpose.fromOriginalApp) return `before migration from the original app: restoring ${purpose.label} (${how})`;
  return `before restoring ${purpose.label} (${how})`;
}

/** How a roll back names the snapshot it returns to: "the safety snapshot of 2026-12-05 02:53 UTC". */
export function snapshotLabel(takenAt: Date | string): string {
  return `the safety snapshot of ${formatDateTime(takenAt)}`;
}

/**
 * "before restoring lab.json (merge, by ada), taken 2026-12-05 02:53 UTC": a safety snapshot
 * in words. `about`: what it was taken before, when the snapshot does not record it itself
 * (the History may tell); else its file name.
 */
export function snapshotInWords(
  snapshot: { name: string; createdAt: Date; purpose: SnapshotPurpose | null },
  about?: string,
): string {
  const before = about ?? (snapshot.purpose ? describePurpose(snapshot.purpose) : snapshot.name);
  return `${before}, taken ${formatDateTime(snapshot.createdAt)}`;
}
