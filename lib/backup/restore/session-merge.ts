// A merge's one transaction, on whichever engine holds the database, through the seam's write
// session (begun by session-transaction.ts, which also takes the safety snapshot):
//
//   1. plan: read the whole file once, checked against the database (references may point at
//      rows it keeps), and decide per record whether it is here already, comes in under its own
//      id, or under a new one (merge-plan.ts); a refused plan changes nothing;
//   2. read the file again, adding what the plan says, references rewritten, and the file's
//      links that records already here lack (loader.ts: createMergeLoaderOn), indexes kept;
//   3. check that rows after = before + added per model and per join table, else roll back;
//      move the id counters past the new ids (never back), check every reference and the
//      engine's own integrity;
//   4. wait for the safety snapshot (before step 2 where the engine keeps readers out while it
//      writes; see session-transaction.ts): nothing is committed without it; notify staff
//      (unless silent) and COMMIT.
//
// A merge changes no existing row, so it locks nobody out: no sign-in check, no kept accounts.
// Anything that stops it leaves the transaction uncommitted; the caller's close rolls it back.
import path from "node:path";

import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { createMergeLoaderOn } from "@/lib/backup/restore/loader";
import { mergeAddsNothing, MergeRefused, NOTHING_TO_MERGE, planMerge } from "@/lib/backup/restore/merge-plan";
import {
  byLabel,
  describeSnapshot,
  lastChecks,
  lossRefusal,
  notifyStaff,
  purposeOf,
  refused,
  RestoreAborted,
  snapshotBeforeChanges,
  waitForSnapshot,
  type Progress,
  type SnapshotInProgress,
  type TransactionOptions,
  type TransactionOutcome,
} from "@/lib/backup/restore/session-transaction";
import { decideAccess } from "@/lib/backup/restore/sign-in-check";
import { existingKeysIn } from "@/lib/backup/row-counts";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import type { WriteSession } from "@/lib/db/engine/write-types";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";

const JOIN_TABLES = () => BACKUP_MODELS.flatMap((m) => m.manyToMany.map((rel) => rel.table));

/** Rows per many-to-many join table. */
async function countLinkRows(session: WriteSession): Promise<Record<string, number>> {
  const tables = JOIN_TABLES();
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await session.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quote(table)}`);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

export async function mergeAndCommit(
  session: WriteSession,
  options: TransactionOptions,
  progress: Progress,
  snapshot: SnapshotInProgress,
): Promise<TransactionOutcome> {
  const before = await byLabel(session);
  const linksBefore = await countLinkRows(session);

  progress("comparing the file with the database", 0);
  let planned: Awaited<ReturnType<typeof planMerge>>;
  try {
    planned = await planMerge(session, options.file, (fraction) =>
      progress("comparing the file with the database", 0.4 * fraction),
    );
  } catch (error) {
    if (error instanceof MergeRefused) return refused("validate", error.message, `refused: ${error.message}`);
    throw error;
  }
  const { plan } = planned;
  if (!plan) {
    const error = "The backup did not pass validation; nothing was changed.";
    return refused("validate", error, `refused: ${planned.report.problems[0]}`, planned.report);
  }
  if (options.refuseEmptyMerge && mergeAddsNothing(plan.models)) {
    return refused(
      "validate",
      `${NOTHING_TO_MERGE} Nothing was changed.`,
      `refused: ${NOTHING_TO_MERGE}`,
      planned.report,
    );
  }

  const early = await snapshotBeforeChanges(session, snapshot, progress, 0.4);
  if (early && "ok" in early) return early;

  const phase = "adding new records";
  const loader = createMergeLoaderOn(session, plan);
  const report = await verifyBackupFile(options.file, {
    sink: { record: loader.insert },
    // A merge keeps every row: the file's records may refer to them.
    existing: await existingKeysIn(session),
    afterChunk: () => loader.ready(),
    onProgress: ({ fraction }) => progress(phase, 0.4 + 0.4 * fraction),
  });
  const loaded = loader.finish();
  if (!report.ok) {
    await loaded.catch(() => {});
    const error = "The backup did not pass validation; nothing was changed.";
    return refused("validate", error, `refused: ${report.problems[0]}`, report);
  }
  if (report.losses.length > 0 && !options.acceptLoss) {
    await loaded.catch(() => {});
    return refused("validate", lossRefusal(report), `refused: would lose ${report.losses[0]!.text}`, report);
  }
  const access = await decideAccess(report.accounts, { actor: null, kept: [], guard: false }, null);
  if (access.refusal) {
    await loaded.catch(() => {});
    return refused("validate", access.refusal, `refused: ${access.refusal}`, report);
  }
  // At most a few hundred writes are still queued: no phase of its own.
  await loaded;

  await checkRowsAdded(session, before, linksBefore, loader, plan.models);
  await session.advanceSequences(BACKUP_MODELS.map((m) => ({ table: m.table, key: m.pk.column })));
  await lastChecks(session, progress);

  const safety = early ?? (await waitForSnapshot(snapshot, progress, 0.93, report));
  if ("ok" in safety) return safety;
  describeSnapshot(safety, purposeOf(options, report), before);
  // Counted before the merge's own notices, which are reported apart.
  const after = await byLabel(session);
  const added = { ...loader.added };
  for (const [label, n] of Object.entries(loader.conflicts)) added[label]! += n;
  const total = Object.values(added).reduce((a, b) => a + b, 0);
  const notified = options.silent
    ? 0
    : await notifyStaff(session, options.actor, options.label ?? path.basename(options.file), total);
  await session.commit();
  const present = Object.fromEntries(plan.models.map((m) => [m.label, m.present]));
  return {
    ok: true,
    report,
    before,
    after,
    notified,
    kept: [],
    merge: { added: loader.added, conflicts: loader.conflicts, present, linked: loader.linked },
    signIn: access.check,
    safety,
    pruned: [],
    pruneProblem: null,
  };
}

/** Rows after = before + added, per model and per join table, and every planned link added: else roll back. */
async function checkRowsAdded(
  session: WriteSession,
  before: Record<string, number>,
  linksBefore: Record<string, number>,
  loader: ReturnType<typeof createMergeLoaderOn>,
  planned: readonly { label: string; linked: number }[],
): Promise<void> {
  const after = await byLabel(session);
  for (const { label } of planned) {
    const added = loader.added[label]! + loader.conflicts[label]!;
    if (after[label] !== before[label]! + added)
      throw new RestoreAborted(
        `${label} holds ${after[label]} rows after the merge, but ${before[label]} + ${added} added were expected`,
      );
  }
  for (const m of planned) {
    if (loader.linked[m.label] !== m.linked)
      throw new RestoreAborted(
        `${loader.linked[m.label]} links were added to ${m.label} records already here, but the plan counted ${m.linked} missing`,
      );
  }
  const linksAfter = await countLinkRows(session);
  for (const [table, rows] of Object.entries(linksAfter)) {
    const added = loader.linkRows[table]!;
    if (rows !== linksBefore[table]! + added)
      throw new RestoreAborted(
        `${table} holds ${rows} links after the merge, but ${linksBefore[table]} + ${added} added were expected`,
      );
  }
}
