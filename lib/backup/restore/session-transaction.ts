// The one transaction of a restore on an engine reached through the seam's write session
// (lib/db/engine/write-types.ts; PostgreSQL today). Same steps and the same promises as
// transaction.ts, written against an async session:
//
//   0. begin the exclusive write (no other writer until it ends; readers see the last commit)
//      and start the safety snapshot: an export of the data as committed;
//   1. read what must survive: the acting admin (sign-in check) and the accounts to keep, and
//      wait for the safety snapshot: nothing changes without it;
//   2. empty every table, then read the whole file, checking every record and
//      handing each valid one to the bulk insert (COPY) as it comes, the reading held back
//      while the database catches up;
//   3. refuse a file that did not pass the checks, holds data this app cannot keep (unless
//      accepted), or would lock the admin or all staff out;
//   4. wait for every row; check that each one arrived, put kept accounts back (keep-accounts.ts,
//      the same rules as on SQLite), reset the id counters, check every
//      reference and the engine's own integrity;
//   5. record in the snapshot what it was taken before;
//   6. notify staff (unless silent), COMMIT, prune older safety snapshots.
//
// Anything that stops it leaves the transaction uncommitted and the caller closes the session,
// which rolls it back: the database is then exactly as it was.
import path from "node:path";

import { BACKUP_MODELS, type ModelSpec } from "@/lib/backup/format/schema-model";
import { storedNow } from "@/lib/backup/format/values";
import { readKeptAccounts, reinstateKeptAccounts } from "@/lib/backup/restore/keep-accounts";
import { mergeAndCommit } from "@/lib/backup/restore/session-merge";
import { decideAccess, readLiveAccessIn } from "@/lib/backup/restore/sign-in-check";
import {
  describeSnapshot,
  lossRefusal,
  pruneAfterCommit,
  purposeOf,
  RestoreAborted,
  restoredNotice,
  type Progress,
  type TransactionOptions,
  type TransactionOutcome,
} from "@/lib/backup/restore/transaction";
import { removeSnapshotFile, type SnapshotInfo } from "@/lib/backup/snapshot";
import { verifyBackupFile, type BackupReport } from "@/lib/backup/verify/verify";
import type { BulkTable, WriteSession } from "@/lib/db/engine/write-types";
import { errorText } from "@/lib/format";

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

/** `database_restored` for every active staff member who has not turned it off (transaction.ts's, in the common dialect). */
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
  progress("checking references", 0.86);
  const broken = await session.brokenReferences();
  if (broken) {
    const { table, rowid, parent } = broken.first;
    throw new RestoreAborted(
      `the reference check found ${broken.count} broken references (first: ${table} row ${rowid} → ${parent})`,
    );
  }
  progress("checking database integrity", 0.9);
  const problem = await session.integrityProblem();
  if (problem) throw new RestoreAborted(`the integrity check failed: ${problem}`);
}

export type SnapshotInProgress = Promise<SnapshotInfo | { failed: unknown }>;

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
  const refused = (stage: "validate" | "snapshot", error: string, summary: string, report?: BackupReport) =>
    ({ ok: false, stage, error, summary, report }) as const;
  if (options.merge) return mergeAndCommit(session, options, progress, snapshot);
  const live = await readLiveAccessIn(session, {
    actor: options.actor,
    keepAccounts: options.keepAccounts,
    guard: options.guardSignIn,
  });
  if ("refusal" in live) return refused("validate", live.refusal, `refused: ${live.refusal}`);
  const before = await byLabel(session);
  const keptAccounts = await readKeptAccounts(session, options.keepAccounts ?? []);

  // The safety export is written before anything changes: emptying the tables takes them for
  // this transaction alone (TRUNCATE), which the export's reads would have to wait for. Deleting
  // row by row instead let the two run at once, but each user deleted had the server scan every
  // notice left behind for a reference (no index on the triggering user): quadratic, ~90 s of a
  // 100k restore.
  progress("taking a safety snapshot", 0);
  const safety = await snapshot;
  if ("failed" in safety) {
    const why = errorText(safety.failed);
    const message = `The safety snapshot could not be taken (${why}); nothing was changed.`;
    return refused("snapshot", message, `safety snapshot failed: ${why}`);
  }

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
  // Every COPY ends before anything else is asked of the connection; a refused file's rows go
  // with the transaction's roll back.
  const loaded = load.finish();
  if (!report.ok) {
    await loaded.catch(() => {});
    const error = "The backup did not pass validation; nothing was changed.";
    return refused("validate", error, `refused: ${report.problems[0]}`, report);
  }
  if (report.losses.length > 0 && !options.acceptLoss) {
    await loaded.catch(() => {});
    return refused("validate", lossRefusal(report), `refused: would lose ${report.losses[0]!.text}`, report);
  }
  const access = await decideAccess(report.accounts, live, options.signInAs);
  if (access.refusal) {
    await loaded.catch(() => {});
    return refused("validate", access.refusal, `refused: ${access.refusal}`, report);
  }
  progress("waiting for the database to take every record", 0.8);
  await loaded;

  const inTables = Object.values(await byLabel(session)).reduce((a, b) => a + b, 0);
  const inFile = Object.values(report.counts).reduce((a, b) => a + b, 0);
  if (inTables !== inFile) throw new RestoreAborted(`${inTables} records were loaded, but the file holds ${inFile}`);
  const kept = await reinstateKeptAccounts(session, keptAccounts);
  await session.resetSequences(BACKUP_MODELS.map((m) => ({ table: m.table, key: m.pk.column })));
  await lastChecks(session, progress);

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
