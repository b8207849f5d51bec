// The one transaction of a restore, in one pass over the file. Inside BEGIN IMMEDIATE (the
// write lock, held to the end, so no other write can slip in between):
//
//   0. start the safety snapshot: on a thread of its own, another connection copies the
//      data as it is before this transaction (WAL readers see the last commit), so it holds
//      exactly what is replaced, and it is written while the steps below run;
//   1. read what must survive: the acting admin and the accounts to keep;
//   2. drop the indexes and empty every table, then read the whole file, checking every
//      record and inserting each valid one as it comes: the connection's own thread inserts
//      while this one reads and checks the next; once a model's records are all in, that
//      thread rebuilds its indexes while this one reads the next model. A merge instead reads
//      the file twice: once to plan (merge-plan.ts: which records are here already, which
//      come in under a new id), then to add what the plan says, references rewritten,
//      indexes kept, changing no existing row;
//   3. refuse, rolling everything back, a file that did not pass the checks, holds data this
//      app cannot keep (unless accepted), or would lock the admin or all staff out;
//   4. put kept accounts back, rebuild the indexes not rebuilt yet, reset the id counters, and
//      run the last checks: every record loaded (a merge: rows after = before + added), every
//      foreign key (foreign-keys.ts), quick_check;
//   5. wait for the safety snapshot: no COMMIT without it; record in it what it was taken before
//      and the rows it holds;
//   6. notify staff (unless silent), COMMIT, and prune older safety snapshots (snapshot.ts says
//      which are kept), reporting which it removed.
//
// Anything else that goes wrong throws. Either way the caller closes the connection, which rolls
// an uncommitted transaction back: the database is then exactly as it was, and the snapshot
// this attempt took (of that same data) is removed again.
import fs from "node:fs";
import path from "node:path";

import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { storedNow } from "@/lib/backup/format/values";
import { findBrokenReferences } from "@/lib/backup/restore/foreign-keys";
import { readKeptAccounts, reinstateKeptAccounts } from "@/lib/backup/restore/keep-accounts";
import { createMergeLoaderOn, createTableLoader } from "@/lib/backup/restore/loader";
import { MergeRefused, planMerge, type MergePlan } from "@/lib/backup/restore/merge-plan";
import { decideAccess, readLiveAccess, type SignInAs, type SignInCheck } from "@/lib/backup/restore/sign-in-check";
import { countRows, existingKeys } from "@/lib/backup/row-counts";
import {
  pruneSafetySnapshots,
  writeSafetySnapshot,
  type SafetySnapshot,
  type SnapshotInfo,
} from "@/lib/backup/snapshot";
import {
  readSnapshotInfoOf,
  recordSnapshotInfo,
  snapshotLabel,
  type SnapshotPurpose,
} from "@/lib/backup/snapshot-info";
import type { IdSet } from "@/lib/backup/verify/id-set";
import { verifyBackupFile, type BackupReport, type RecordSink } from "@/lib/backup/verify/verify";
import { quoteIdentifier, sqlRunner, type SqlConnection } from "@/lib/db/sqlite";
import { errorText, formatCount, formatDateTime, plural } from "@/lib/format";

/** What the transaction needs of the restore's options (restore.ts documents each). */
export interface TransactionOptions {
  file: string;
  actor: string;
  label?: string;
  kind?: "restore" | "rollback";
  merge?: boolean;
  silent?: boolean;
  acceptLoss?: boolean;
  keepAccounts?: string[];
  guardSignIn?: boolean;
  signInAs?: SignInAs | null;
}

export type TransactionOutcome =
  | {
      ok: true;
      report: BackupReport;
      before: Record<string, number>;
      after: Record<string, number>;
      notified: number;
      kept: string[];
      /** Merge only: per label, records added under their own id, under a new id, and already present. */
      merge: MergeCounts | null;
      signIn: SignInCheck;
      safety: SnapshotInfo;
      /** Older safety snapshots pruning removed once this one was kept. */
      pruned: SafetySnapshot[];
      /** Why pruning failed, after COMMIT: the restore stands, older snapshots stay. */
      pruneProblem: string | null;
    }
  | {
      /** Refused before COMMIT; closing the connection rolls the transaction back. */
      ok: false;
      stage: "validate" | "snapshot";
      error: string;
      /** The History's line. */
      summary: string;
      report?: BackupReport;
    };

export interface MergeCounts {
  added: Record<string, number>;
  conflicts: Record<string, number>;
  present: Record<string, number>;
  /** Links (followed presets) the file has and records already here lacked: added to them. */
  linked: Record<string, number>;
}

/** A last check before COMMIT failed: the restore is rolled back. */
export class RestoreAborted extends Error {}

export type Progress = (phase: string, fraction: number) => void;

/** How the file's records are written: replacing every table, or adding the new ones. */
interface Load {
  phase: string;
  /** Where this pass's progress starts (a merge read the file once already to plan). */
  start: number;
  insert: RecordSink;
  /** Holds the reading of the file back until the writes so far are done. */
  afterChunk?: () => Promise<void>;
  existing?: Map<string, IdSet>;
  /** After a file that passed: whatever completes the load; returns what Keep my account did. */
  finish(report: BackupReport, progress: Progress): Promise<string[]>;
  merge: MergeCounts | null;
}

async function replaceAll(db: SqlConnection, options: TransactionOptions): Promise<Load> {
  const loader = createTableLoader(db);
  const keptAccounts = await readKeptAccounts(sqlRunner(db), options.keepAccounts ?? []);
  const indexes = loader.dropIndexes();
  loader.deleteAll();
  return {
    phase: "checking and loading records",
    start: 0,
    insert: { record: loader.insert, modelEnd: indexes.afterModel },
    async finish(report, progress) {
      // The inserting thread may still be at the last model's rows and indexes: counting waits for it.
      progress("rebuilding indexes", 0.82);
      const inTables = Object.values(countRows(db)).reduce((a, b) => a + b, 0);
      const inFile = Object.values(report.counts).reduce((a, b) => a + b, 0);
      if (inTables !== inFile)
        throw new RestoreAborted(`${inTables} records were loaded, but the file holds ${inFile}`);
      const kept = await reinstateKeptAccounts(sqlRunner(db), keptAccounts);
      indexes.rest();
      return kept;
    },
    merge: null,
  };
}

/** Rows per many-to-many join table. */
function countLinkRows(db: SqlConnection): Record<string, number> {
  const tables = BACKUP_MODELS.flatMap((m) => m.manyToMany.map((rel) => rel.table));
  return Object.fromEntries(
    tables.map((table) => [
      table,
      db
        .prepare(`SELECT COUNT(*) FROM ${quoteIdentifier(table)}`)
        .pluck()
        .get() as number,
    ]),
  );
}

function addNew(db: SqlConnection, plan: MergePlan): Load {
  // The same loader as on PostgreSQL (session-merge.ts): one set of rules for both engines.
  const loader = createMergeLoaderOn(sqlRunner(db), plan);
  const before = countRows(db);
  const linksBefore = countLinkRows(db);
  const present = Object.fromEntries(plan.models.map((m) => [m.label, m.present]));
  return {
    phase: "adding new records",
    start: 0.4,
    insert: { record: loader.insert },
    afterChunk: () => loader.ready(),
    // A merge keeps every row: the file's records may refer to them.
    existing: existingKeys(db),
    async finish() {
      await loader.finish();
      const after = countRows(db);
      for (const { label } of plan.models) {
        const added = loader.added[label]! + loader.conflicts[label]!;
        if (after[label] !== before[label]! + added)
          throw new RestoreAborted(
            `${label} holds ${after[label]} rows after the merge, but ${before[label]} + ${added} added were expected`,
          );
      }
      for (const m of plan.models) {
        if (loader.linked[m.label] !== m.linked)
          throw new RestoreAborted(
            `${loader.linked[m.label]} links were added to ${m.label} records already here, but the plan counted ${m.linked} missing`,
          );
      }
      // Links too: those of added records and those added to records already here, and no other.
      const linksAfter = countLinkRows(db);
      for (const [table, rows] of Object.entries(linksAfter)) {
        const added = loader.linkRows[table]!;
        if (rows !== linksBefore[table]! + added)
          throw new RestoreAborted(
            `${table} holds ${rows} links after the merge, but ${linksBefore[table]} + ${added} added were expected`,
          );
      }
      return [];
    },
    merge: { added: loader.added, conflicts: loader.conflicts, present, linked: loader.linked },
  };
}

export function lossRefusal(report: BackupReport): string {
  const n = report.losses.length;
  return (
    `The backup holds data this app cannot keep (${formatCount(n)} ${plural(n, "item")}: ${report.losses.map((l) => l.text).join(" ")}) ` +
    "Nothing was changed; accept the loss explicitly to restore it anyway."
  );
}

function lastChecks(db: SqlConnection, progress: Progress): void {
  progress("checking foreign keys", 0.86);
  const broken = findBrokenReferences(db);
  if (broken) {
    const { table, rowid, parent } = broken.first;
    throw new RestoreAborted(
      `foreign_key_check found ${broken.count} broken references (first: ${table} row ${rowid} → ${parent})`,
    );
  }
  progress("checking database integrity", 0.9);
  // quick_check checks every page and record (O(N), ~4× faster than integrity_check); what it
  // skips, index-vs-table agreement, SQLite maintains itself on the inserts just made.
  const integrity = db.pragma("quick_check", { simple: true });
  if (integrity !== "ok") throw new RestoreAborted(`quick_check failed: ${String(integrity)}`);
}

/** The `database_restored` notice's text. */
export function restoredNotice(actor: string, label: string, total: number, now: string): string {
  return `${actor} restored the database from ${label} (${formatCount(total)} ${plural(total, "record")}) at ${formatDateTime(now, { to: "second" })}.`;
}

/** `database_restored` for every active staff member who has not turned it off. */
function notifyStaff(db: SqlConnection, actor: string, label: string, total: number): number {
  const now = storedNow();
  const result = db
    .prepare(
      `INSERT INTO calendarEditor_notification
         (recipient_id, notification_type, title, message, triggering_user_id, is_read, created_at)
       SELECT u.id, 'database_restored', 'Database restored', ?,
              (SELECT id FROM auth_user WHERE username = ?), 0, ?
       FROM auth_user u
       LEFT JOIN calendarEditor_notificationpreference p ON p.user_id = u.id
       WHERE u.is_active = 1 AND (u.is_staff = 1 OR u.is_superuser = 1)
         AND (p.id IS NULL OR p.notify_database_restored = 1)`,
    )
    .run(restoredNotice(actor, label, total, now), actor, now);
  return result.changes;
}

/** The snapshot being written, or why it could not be. */
type SnapshotInProgress = Promise<SnapshotInfo | { failed: unknown }>;

/** Runs steps 0–6 on `db` (foreign keys off); a refused or failed transaction is left open, for closing to roll back. */
export async function restoreInOneTransaction(
  db: SqlConnection,
  options: TransactionOptions,
  progress: Progress,
): Promise<TransactionOutcome> {
  db.exec("BEGIN IMMEDIATE");
  const snapshot: SnapshotInProgress = writeSafetySnapshot().catch((failed: unknown) => ({ failed }));
  let outcome: TransactionOutcome | undefined;
  try {
    outcome = await loadCheckAndCommit(db, options, progress, snapshot);
  } finally {
    const taken = await snapshot;
    if (!("failed" in taken)) {
      // A roll back keeps the snapshot it reads from.
      if (outcome?.ok) outcome = { ...outcome, ...pruneAfterCommit(path.resolve(options.file)) };
      else fs.rmSync(taken.file, { force: true });
    }
  }
  return outcome!;
}

/**
 * Prunes older safety snapshots once the restore has committed. A failure here must not throw:
 * the restore stands, and calling it rolled back would be false; it is logged and reported.
 */
export function pruneAfterCommit(protect: string): { pruned: SafetySnapshot[]; pruneProblem: string | null } {
  try {
    return { pruned: pruneSafetySnapshots(protect), pruneProblem: null };
  } catch (error) {
    console.error(`The restore was committed, but older safety snapshots could not be pruned: ${errorText(error)}`);
    return { pruned: [], pruneProblem: errorText(error) };
  }
}

/** What the safety snapshot was taken before, for its own record. */
export function purposeOf(options: TransactionOptions, report: BackupReport): SnapshotPurpose {
  const rolledBackTo = options.kind === "rollback" ? readSnapshotInfoOf(options.file)?.takenAt : null;
  return {
    kind: options.kind ?? "restore",
    label: rolledBackTo ? snapshotLabel(rolledBackTo) : (options.label ?? path.basename(options.file)),
    actor: options.actor,
    merge: options.merge,
    silent: options.silent,
    fromOriginalApp: report.formatVersion === 0,
  };
}

/** Best effort: a snapshot without its description still holds the data and can be rolled back to. */
export function describeSnapshot(safety: SnapshotInfo, purpose: SnapshotPurpose, counts: Record<string, number>): void {
  try {
    recordSnapshotInfo(safety.file, { purpose, counts });
  } catch (error) {
    console.error(`Could not record what safety snapshot ${safety.name} holds: ${errorText(error)}`);
  }
}

async function loadCheckAndCommit(
  db: SqlConnection,
  options: TransactionOptions,
  progress: Progress,
  snapshot: SnapshotInProgress,
): Promise<TransactionOutcome> {
  const refused = (stage: "validate" | "snapshot", error: string, summary: string, report?: BackupReport) =>
    ({ ok: false, stage, error, summary, report }) as const;
  const live = readLiveAccess(db, {
    actor: options.actor,
    keepAccounts: options.merge ? [] : options.keepAccounts,
    // A merge changes no existing row: nobody who can sign in now is locked out by it.
    guard: options.guardSignIn && !options.merge,
  });
  if ("refusal" in live) return refused("validate", live.refusal, `refused: ${live.refusal}`);
  const before = countRows(db);
  let load: Load;
  if (options.merge) {
    progress("comparing the file with the database", 0);
    let planned: Awaited<ReturnType<typeof planMerge>>;
    try {
      planned = await planMerge(sqlRunner(db), options.file, (fraction) =>
        progress("comparing the file with the database", 0.4 * fraction),
      );
    } catch (error) {
      if (error instanceof MergeRefused) return refused("validate", error.message, `refused: ${error.message}`);
      throw error;
    }
    if (!planned.plan) {
      const error = "The backup did not pass validation; nothing was changed.";
      return refused("validate", error, `refused: ${planned.report.problems[0]}`, planned.report);
    }
    load = addNew(db, planned.plan);
  } else load = await replaceAll(db, options);
  progress(load.phase, load.start);
  const report = await verifyBackupFile(options.file, {
    sink: load.insert,
    afterChunk: load.afterChunk,
    existing: load.existing,
    onProgress: ({ fraction }) => progress(load.phase, load.start + (0.8 - load.start) * fraction),
  });
  if (!report.ok) {
    const error = "The backup did not pass validation; nothing was changed.";
    return refused("validate", error, `refused: ${report.problems[0]}`, report);
  }
  if (report.losses.length > 0 && !options.acceptLoss) {
    return refused("validate", lossRefusal(report), `refused: would lose ${report.losses[0]!.text}`, report);
  }
  const access = await decideAccess(report.accounts, live, options.merge ? null : options.signInAs);
  if (access.refusal) return refused("validate", access.refusal, `refused: ${access.refusal}`, report);

  const kept = await load.finish(report, progress);
  createTableLoader(db).resetSequences();
  lastChecks(db, progress);

  progress("taking a safety snapshot", 0.93);
  const safety = await snapshot;
  if ("failed" in safety) {
    const why = errorText(safety.failed);
    const message = `The safety snapshot could not be taken (${why}); nothing was changed.`;
    return refused("snapshot", message, `safety snapshot failed: ${why}`, report);
  }
  // It holds the data as committed before this transaction, which `before` counted.
  describeSnapshot(safety, purposeOf(options, report), before);

  // Counted before the restore's own notices, which are reported apart: after = in file.
  const after = countRows(db);
  const added = load.merge && { ...load.merge.added };
  for (const [label, n] of Object.entries(load.merge?.conflicts ?? {})) added![label]! += n;
  const loaded = Object.values(added || report.counts).reduce((a, b) => a + b, 0);
  const notified = options.silent
    ? 0
    : notifyStaff(db, options.actor, options.label ?? path.basename(options.file), loaded);
  db.exec("COMMIT");
  return {
    ok: true,
    report,
    before,
    after,
    notified,
    kept,
    merge: load.merge,
    signIn: access.check,
    safety,
    pruned: [],
    pruneProblem: null,
  };
}

/** Row counts per model for the result: before, in the file, after (and, for a merge, what it added and found). */
export function modelOutcomes(outcome: Extract<TransactionOutcome, { ok: true }>) {
  const { before, after, merge, report } = outcome;
  return BACKUP_MODELS.map((m) => ({
    label: m.label,
    before: before[m.label] ?? 0,
    inBackup: report.counts[m.label] ?? 0,
    after: after[m.label] ?? 0,
    ...(merge
      ? {
          added: merge.added[m.label] ?? 0,
          conflicts: merge.conflicts[m.label] ?? 0,
          present: merge.present[m.label] ?? 0,
          linked: merge.linked[m.label] ?? 0,
        }
      : {}),
  }));
}
