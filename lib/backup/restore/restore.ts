// Restore: replaces every backed-up table with a backup's content, all or nothing.
//
//   1. refuse early when the disk cannot hold the restore (figures in the message);
//   2. in ONE transaction and one pass over the file (session-transaction.ts), through the
//      engine seam's write session: empty the tables, check every record and load each valid
//      one, refuse a bad file, an unaccepted loss or, in the browser, a restore that would
//      lock the admin or all staff out; put kept accounts back, run the last checks, wait for
//      the safety snapshot of the data being replaced, notify staff, commit. Anything that
//      stops it rolls the transaction back: the database is exactly as it was;
//   3. report rows before / in the backup / after per model, and the time taken.
//
// The whole run holds the maintenance lock, so a second restore is refused and the app
// answers 503 to backup requests instead of meeting a locked database. The dry run is the
// same check without the transaction (verifyBackupFile, read-only).
import fs from "node:fs";
import path from "node:path";

import { recordAudit, type AuditSource } from "@/lib/backup/audit";
import { BACKUP_TABLES } from "@/lib/backup/format/schema-model";
import { enterMaintenance, MaintenanceBusyError, type MaintenanceHandle } from "@/lib/backup/maintenance";
import { freeDiskBytes, restoreDiskNeed } from "@/lib/backup/restore/disk-space";
import { mergeSummary } from "@/lib/backup/restore/merge-plan";
import {
  modelOutcomes,
  RestoreAborted,
  restoreThroughSession,
  type TransactionOptions,
  type TransactionOutcome,
} from "@/lib/backup/restore/session-transaction";
import type { SignInCheck } from "@/lib/backup/restore/sign-in-check";
import { writeSafetyCopy, type SafetySnapshot } from "@/lib/backup/snapshot";
import { snapshotInWords } from "@/lib/backup/snapshot-info";
import { detectKind } from "@/lib/backup/verify/source";
import type { BackupReport } from "@/lib/backup/verify/verify";
import { dataDir } from "@/lib/config";
import { writeEngine } from "@/lib/db/engine/write";
import type { WriteEngine, WriteSession } from "@/lib/db/engine/write-types";
import { errorText, formatBytes, formatCount } from "@/lib/format";

export { RestoreAborted };

export interface ModelOutcome {
  label: string;
  before: number;
  inBackup: number;
  after: number;
  /**
   * Merge only: the file's records added under their own id, those added under a new id because
   * a different record holds theirs here (conflicts), and those already present (not added).
   */
  added?: number;
  conflicts?: number;
  present?: number;
  /** Merge only: the file's links (followed presets) added to records already present. */
  linked?: number;
}

export type RestoreStage = "busy" | "validate" | "snapshot" | "load" | "check";

export type RestoreResult =
  | {
      ok: true;
      report: BackupReport;
      models: ModelOutcome[];
      safetySnapshot: string;
      notified: number;
      /** One sentence per kept account: what "Keep my account" did. */
      kept: string[];
      signIn: SignInCheck;
      /** Older safety snapshots removed to keep the list short, each in words (prunedInWords). */
      pruned: string[];
      /** Set when older safety snapshots could not be pruned after the restore committed. */
      pruneProblem: string | null;
      durationMs: number;
    }
  | { ok: false; stage: RestoreStage; error: string; report?: BackupReport; durationMs: number };

export interface RestoreOptions extends TransactionOptions {
  source: AuditSource;
  onProgress?: (phase: string, fraction: number) => void;
}

/** A sentence saying how much free disk the restore needs and has, when it has too little. */
function diskShortfall(engine: WriteEngine, options: RestoreOptions): string | null {
  if (!fs.existsSync(options.file)) return null; // verification says so, in its own words
  // A database server keeps its data on its own disk; here only the safety export is written,
  // a compressed copy a fraction of the data's size.
  if (!engine.file) return null;
  const needed = restoreDiskNeed(detectKind(options.file), fs.statSync(options.file).size, fileSize(engine.file));
  const free = freeDiskBytes(dataDir());
  if (free === null || free >= needed) return null;
  return (
    `This restore needs about ${formatBytes(needed)} of free disk (a safety snapshot of today's data and ` +
    `room for the restored data while it loads), but only ${formatBytes(free)} is free where the data lives. ` +
    "Nothing was changed. Free some space, or remove old safety snapshots, and try again."
  );
}

const fileSize = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

/** A removed snapshot in words, its file name last when the words do not already give it. */
function prunedInWords(snapshot: SafetySnapshot): string {
  return snapshot.purpose ? `${snapshotInWords(snapshot)} (${snapshot.name})` : snapshotInWords(snapshot);
}

/**
 * The transaction, through the seam's write session: begun here, closed whatever happens (which
 * rolls back what was not committed) before the History is written, whose write needs the lock
 * the transaction held. The safety snapshot is a copy of the file where the database is one,
 * else our own compressed export (writeSafetyCopy).
 */
async function throughSession(
  engine: WriteEngine,
  options: RestoreOptions,
  progress: (phase: string, fraction: number) => void,
): Promise<TransactionOutcome | { thrown: unknown }> {
  let session: WriteSession;
  try {
    // A merge adds row by row, waiting for each (it counts what it adds); a restore bulk-loads.
    session = await engine.beginExclusiveWrite(BACKUP_TABLES, { bulkLoad: !options.merge });
  } catch (error) {
    return { thrown: error };
  }
  try {
    return await restoreThroughSession(session, options, progress, writeSafetyCopy);
  } catch (error) {
    return { thrown: error };
  } finally {
    await session.close();
  }
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const started = performance.now();
  const startedAt = new Date();
  const elapsed = () => Math.round(performance.now() - started);
  let lock: MaintenanceHandle;
  try {
    lock = enterMaintenance(options.kind ?? "restore", options.actor);
  } catch (error) {
    if (error instanceof MaintenanceBusyError)
      return { ok: false, stage: "busy", error: error.message, durationMs: elapsed() };
    throw error;
  }
  const progress = (phase: string, fraction: number) => {
    lock.update(phase, fraction);
    options.onProgress?.(phase, fraction);
  };
  const audit = (result: "ok" | "failed", detail: object, report?: BackupReport) =>
    recordAudit({
      kind: options.kind ?? "restore",
      source: options.source,
      actor: options.actor,
      startedAt,
      result,
      bytes: report?.fileBytes,
      sha256: report?.fileSha256 ?? undefined,
      // The History says which kind of restore it was, whatever became of it.
      detail: JSON.stringify({ mode: options.merge ? "merge" : "replace", ...detail }),
    });

  try {
    const engine = writeEngine();
    const tooBig = diskShortfall(engine, options);
    if (tooBig) {
      await audit("failed", { summary: `refused: ${tooBig}`, file: options.label });
      return { ok: false, stage: "validate", error: tooBig, durationMs: elapsed() };
    }
    const outcome = await throughSession(engine, options, progress);
    if ("thrown" in outcome) {
      const message = `The restore was rolled back (${errorText(outcome.thrown)}); the database is exactly as it was.`;
      await audit("failed", { summary: message, file: options.label });
      return {
        ok: false,
        stage: outcome.thrown instanceof RestoreAborted ? "check" : "load",
        error: message,
        durationMs: elapsed(),
      };
    }
    if (!outcome.ok) {
      await audit("failed", { summary: outcome.summary, file: options.label }, outcome.report);
      return { ok: false, stage: outcome.stage, error: outcome.error, report: outcome.report, durationMs: elapsed() };
    }

    const models = modelOutcomes(outcome);
    const pruned = outcome.pruned.map(prunedInWords);
    const pruneProblem = outcome.pruneProblem && "Older safety snapshots could not be pruned; they stay in the list.";
    progress("done", 1);
    const inFile = models.reduce((n, m) => n + m.inBackup, 0);
    const label = options.label ?? path.basename(options.file);
    await audit(
      "ok",
      {
        summary: outcome.merge ? mergeSummary(models, label) : `${formatCount(inFile)} records from ${label}`,
        file: label,
        rowsInFile: inFile,
        models,
        notified: outcome.notified,
        kept: outcome.kept,
        safetySnapshot: outcome.safety.name,
        prunedSnapshots: pruned,
        ...(pruneProblem ? { pruneProblem: `${pruneProblem} (${outcome.pruneProblem})` } : {}),
      },
      outcome.report,
    );
    return {
      ok: true,
      report: outcome.report,
      models,
      safetySnapshot: outcome.safety.name,
      notified: outcome.notified,
      kept: outcome.kept,
      signIn: outcome.signIn,
      pruned,
      pruneProblem,
      durationMs: elapsed(),
    };
  } finally {
    lock.release();
  }
}
