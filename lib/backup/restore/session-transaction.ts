// The one transaction of a restore, in one pass over the file, on whichever engine holds the
// database, through the seam's write session (lib/db/engine/write-types.ts):
//
//   0. begin the exclusive write (no other writer until it ends; readers see the last commit)
//      and start the safety snapshot of the data as committed: a copy of the file where the
//      database is one (SQLite), else our own compressed export (PostgreSQL);
//   1. read what must survive: the acting admin (sign-in check) and the accounts to keep;
//   2. empty every table, then read the whole file, checking every record and handing each
//      valid one to the engine's bulk insert as it comes (SQLite: a thread of its own inserts
//      while this one reads, indexes dropped and rebuilt per table; PostgreSQL: COPY), the
//      reading held back while the database catches up. A merge instead reads the file twice
//      (session-merge.ts);
//   3. refuse a file that did not pass the checks, holds data this app cannot keep (unless
//      accepted), or would lock the admin or all staff out;
//   4. wait for every row; check that each one arrived, put kept accounts back (keep-accounts.ts),
//      reset the id counters, check every reference and the engine's own integrity;
//   5. wait for the safety snapshot: nothing changes without it. Where emptying the tables keeps
//      readers out (PostgreSQL: TRUNCATE) it is waited for before step 2; where readers go on
//      seeing the last commit (SQLite in WAL mode) it is written while steps 1–4 run. Record in
//      it what it was taken before and the rows it holds;
//   6. notify staff (unless silent), COMMIT, prune older safety snapshots (snapshot.ts says
//      which are kept), reporting which it removed.
//
// Anything that stops it leaves the transaction uncommitted and the caller closes the session,
// which rolls it back: the database is then exactly as it was, and the snapshot this attempt
// took (of that same data) is removed again.
import path from "node:path";

import { BACKUP_MODELS, type ModelSpec } from "@/lib/backup/format/schema-model";
import { storedNow } from "@/lib/backup/format/values";
import { readKeptAccounts, reinstateKeptAccounts } from "@/lib/backup/restore/keep-accounts";
import { mergeAndCommit } from "@/lib/backup/restore/session-merge";
import { decideAccess, readLiveAccessIn, type SignInAs, type SignInCheck } from "@/lib/backup/restore/sign-in-check";
import {
  pruneSafetySnapshots,
  removeSnapshotFile,
  type SafetySnapshot,
  type SnapshotInfo,
} from "@/lib/backup/snapshot";
import {
  readSnapshotInfoOf,
  recordSnapshotInfo,
  snapshotLabel,
  type SnapshotPurpose,
} from "@/lib/backup/snapshot-info";
import { verifyBackupFile, type BackupReport } from "@/lib/backup/verify/verify";
import type { BulkTable, WriteSession } from "@/lib/db/engine/write-types";
import { errorText, formatCount, formatDateTime, plural } from "@/lib/format";

/** What a restore does (restore.ts adds where it comes from and how its progress is told). */
export interface TransactionOptions {
  /** The backup: JSON, .json.gz or a SQLite snapshot. */
  file: string;
  actor: string;
  /** Shown in the audit history and the staff notification (defaults to the file name). */
  label?: string;
  kind?: "restore" | "rollback";
  /**
   * Merge instead of replace: add the file's records whose primary key is new and change no
   * existing row. Same validation (references may point at rows the database keeps), same
   * safety snapshot, one transaction.
   */
  merge?: boolean;
  /**
   * A merge that would add nothing (no record, no link) is refused before anything is written:
   * in the browser, where it would only take a safety snapshot, prune an older one and tell
   * staff the database was restored. Scripts keep a merge that finds nothing new a success.
   */
  refuseEmptyMerge?: boolean;
  /** Create no `database_restored` notifications (then every model holds exactly the file's rows). */
  silent?: boolean;
  /** Go ahead although the file holds data this app cannot keep (the report's `losses`). */
  acceptLoss?: boolean;
  /** Accounts (usernames) that survive the restore as they are now, with profile and preferences. */
  keepAccounts?: string[];
  /**
   * `actor` is the signed-in admin (the browser): refuse a restore after which they, or every
   * staff member, could no longer sign in, unless they keep their account.
   */
  guardSignIn?: boolean;
  /**
   * "I will sign in as one of these": instead of keeping their account, the acting admin will
   * sign in afterwards as this staff account of the file. Its password is checked against the
   * file's hash before COMMIT; a wrong one refuses the restore and changes nothing.
   */
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

export function lossRefusal(report: BackupReport): string {
  const n = report.losses.length;
  return (
    `The backup holds data this app cannot keep (${formatCount(n)} ${plural(n, "item")}: ${report.losses.map((l) => l.text).join(" ")}) ` +
    "Nothing was changed; accept the loss explicitly to restore it anyway."
  );
}

/** The `database_restored` notice's text. */
export function restoredNotice(actor: string, label: string, total: number, now: string): string {
  return `${actor} restored the database from ${label} (${formatCount(total)} ${plural(total, "record")}) at ${formatDateTime(now, { to: "second" })}.`;
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

/** What the bulk insert fills per model: every column (the key first), and what must be there before. */
export function bulkTables(): BulkTable[] {
  return BACKUP_MODELS.map((m) => {
    const refers = new Set<string>();
    for (const c of m.columns) if (c.references && c.references !== m.name) refers.add(c.references);
    for (const rel of m.manyToMany) if (rel.target !== m.name) refers.add(rel.target);
    return {
      name: m.name,
      table: m.table,
      columns: m.columns.map((c) => c.column),
      dependsOn: [...refers],
      links: m.manyToMany.map((rel) => ({
        table: rel.table,
        ownColumn: rel.ownColumn,
        targetColumn: rel.targetColumn,
      })),
    };
  });
}

/** The backed-up tables, children before parents: join tables first, then the models in reverse order. */
function emptyingOrder(): string[] {
  return [...BACKUP_MODELS].reverse().flatMap((m) => [...m.manyToMany.map((rel) => rel.table), m.table]);
}

export const byLabel = async (session: WriteSession) => {
  const counts = await session.counts(BACKUP_MODELS.map((m) => m.table));
  return Object.fromEntries(BACKUP_MODELS.map((m) => [m.label, counts[m.table] ?? 0]));
};

/** `database_restored` for every active staff member who has not turned it off (in the common dialect). */
export async function notifyStaff(session: WriteSession, actor: string, label: string, total: number): Promise<number> {
  const now = storedNow();
  const { changes } = await session.run(
    `INSERT INTO "calendarEditor_notification"
       (recipient_id, notification_type, title, message, triggering_user_id, is_read, created_at)
     SELECT u.id, 'database_restored', 'Database restored', ?,
            (SELECT id FROM auth_user WHERE username = ?), FALSE, ?
     FROM auth_user u
     LEFT JOIN "calendarEditor_notificationpreference" p ON p.user_id = u.id
     WHERE u.is_active AND (u.is_staff OR u.is_superuser)
       AND (p.id IS NULL OR p.notify_database_restored)`,
    [restoredNotice(actor, label, total, now), actor, now],
  );
  return changes;
}

export async function lastChecks(session: WriteSession, progress: Progress): Promise<void> {
  const names = session.checkNames ?? { references: "the reference check", integrity: "the integrity check" };
  progress("checking foreign keys", 0.86);
  const broken = await session.brokenReferences();
  if (broken) {
    const { table, rowid, parent } = broken.first;
    throw new RestoreAborted(
      `${names.references} found ${broken.count} broken references (first: ${table} row ${rowid} → ${parent})`,
    );
  }
  progress("checking database integrity", 0.9);
  const problem = await session.integrityProblem();
  if (problem) throw new RestoreAborted(`${names.integrity} failed: ${problem}`);
}

export type SnapshotInProgress = Promise<SnapshotInfo | { failed: unknown }>;

type Refusal = Extract<TransactionOutcome, { ok: false }>;

export const refused = (stage: Refusal["stage"], error: string, summary: string, report?: BackupReport): Refusal => ({
  ok: false,
  stage,
  error,
  summary,
  report,
});

/** The safety snapshot once written (nothing is committed without it), or the refusal saying why there is none. */
export async function waitForSnapshot(
  snapshot: SnapshotInProgress,
  progress: Progress,
  fraction: number,
  report?: BackupReport,
): Promise<SnapshotInfo | Refusal> {
  progress("taking a safety snapshot", fraction);
  const safety = await snapshot;
  if (!("failed" in safety)) return safety;
  const why = errorText(safety.failed);
  const message = `The safety snapshot could not be taken (${why}); nothing was changed.`;
  return refused("snapshot", message, `safety snapshot failed: ${why}`, report);
}

/**
 * Where emptying the tables keeps readers out (PostgreSQL's TRUNCATE), the safety export is
 * written before anything changes: its reads would wait for this transaction. Deleting row by
 * row instead let the two run at once there, but each user deleted ran the server's per-row
 * foreign-key triggers (13 per user) over what was left: quadratic, ~90 s of a 100k restore.
 * Where readers go on seeing the last commit (SQLite), the copy is written while the load runs
 * and waited for before COMMIT: null here.
 */
export async function snapshotBeforeChanges(
  session: WriteSession,
  snapshot: SnapshotInProgress,
  progress: Progress,
  fraction: number,
): Promise<SnapshotInfo | Refusal | null> {
  return session.readersSeeLastCommit ? null : waitForSnapshot(snapshot, progress, fraction);
}

/**
 * Steps 0–6 on `session` (begun by the caller); `takeSnapshot` writes the safety snapshot of the
 * data as last committed. A refused or failed transaction is left for the caller's close to roll back.
 */
export async function restoreThroughSession(
  session: WriteSession,
  options: TransactionOptions,
  progress: Progress,
  takeSnapshot: () => Promise<SnapshotInfo>,
): Promise<TransactionOutcome> {
  const snapshot: SnapshotInProgress = takeSnapshot().catch((failed: unknown) => ({ failed }));
  let outcome: TransactionOutcome | undefined;
  try {
    outcome = await loadCheckAndCommit(session, options, progress, snapshot);
  } finally {
    const taken = await snapshot;
    if (!("failed" in taken)) {
      if (outcome?.ok) outcome = { ...outcome, ...pruneAfterCommit(path.resolve(options.file)) };
      else removeSnapshotFile(taken.file);
    }
  }
  return outcome!;
}

async function loadCheckAndCommit(
  session: WriteSession,
  options: TransactionOptions,
  progress: Progress,
  snapshot: SnapshotInProgress,
): Promise<TransactionOutcome> {
  if (options.merge) return mergeAndCommit(session, options, progress, snapshot);
  const live = await readLiveAccessIn(session, {
    actor: options.actor,
    keepAccounts: options.keepAccounts,
    guard: options.guardSignIn,
  });
  if ("refusal" in live) return refused("validate", live.refusal, `refused: ${live.refusal}`);
  const before = await byLabel(session);
  const keptAccounts = await readKeptAccounts(session, options.keepAccounts ?? []);

  const early = await snapshotBeforeChanges(session, snapshot, progress, 0);
  if (early && "ok" in early) return early;

  const phase = "checking and loading records";
  progress(phase, 0);
  await session.emptyTables(emptyingOrder());
  const load = session.bulkInsert(bulkTables());
  const report = await verifyBackupFile(options.file, {
    sink: {
      record: (model: ModelSpec, record) => load.insert(model.name, record.pk, record.params, record.links),
      modelEnd: (model: ModelSpec) => load.tableEnd(model.name),
    },
    afterChunk: () => load.ready(),
    onProgress: ({ fraction }) => progress(phase, 0.8 * fraction),
  });
  // A refused file's rows go with the transaction's roll back; the load still ends first where
  // the engine needs it to (every COPY ends before anything else is asked of the connection).
  const stop = () => (load.abandon ? load.abandon() : load.finish()).catch(() => {});
  if (!report.ok) {
    await stop();
    const error = "The backup did not pass validation; nothing was changed.";
    return refused("validate", error, `refused: ${report.problems[0]}`, report);
  }
  if (report.losses.length > 0 && !options.acceptLoss) {
    await stop();
    return refused("validate", lossRefusal(report), `refused: would lose ${report.losses[0]!.text}`, report);
  }
  progress(load.finishing ?? "waiting for the database to take every record", 0.8);
  const loaded = load.finish();
  const access = await decideAccess(report.accounts, live, options.signInAs);
  if (access.refusal) {
    await loaded.catch(() => {});
    return refused("validate", access.refusal, `refused: ${access.refusal}`, report);
  }
  await loaded;

  const inTables = Object.values(await byLabel(session)).reduce((a, b) => a + b, 0);
  const inFile = Object.values(report.counts).reduce((a, b) => a + b, 0);
  if (inTables !== inFile) throw new RestoreAborted(`${inTables} records were loaded, but the file holds ${inFile}`);
  const kept = await reinstateKeptAccounts(session, keptAccounts);
  await session.resetSequences(BACKUP_MODELS.map((m) => ({ table: m.table, key: m.pk.column })));
  await lastChecks(session, progress);

  const safety = early ?? (await waitForSnapshot(snapshot, progress, 0.93, report));
  if ("ok" in safety) return safety;
  // It holds the data as committed before this transaction, which `before` counted.
  describeSnapshot(safety, purposeOf(options, report), before);

  // Counted before the restore's own notices, which are reported apart: after = in file (and kept accounts).
  const after = await byLabel(session);

  const notified = options.silent
    ? 0
    : await notifyStaff(session, options.actor, options.label ?? path.basename(options.file), inFile);
  await session.commit();
  return {
    ok: true,
    report,
    before,
    after,
    notified,
    kept,
    merge: null,
    signIn: access.check,
    safety,
    pruned: [],
    pruneProblem: null,
  };
}
