// The Manage Storage server actions: each is its input schema and its body; staffAction
// checks the session and parses the input first (see lib/auth/staff-action.ts).
import { headers } from "next/headers";
import { z } from "zod";

import { CLEAR_ARCHIVE_WORD, clearArchive } from "@/lib/admin/archive";
import { rollbackTarget } from "@/lib/admin/safety-snapshots";
import { checkStaff, type ActionResult } from "@/lib/auth/guard";
import { verifyPassword } from "@/lib/auth/password";
import { passwordWait, provePassword, TooManyAttempts } from "@/lib/auth/sign-in";
import { ActionError, staffAction } from "@/lib/auth/staff-action";
import { readMaintenance } from "@/lib/backup/maintenance";
import { mergeAddsNothing, NOTHING_TO_MERGE, previewMerge, type ModelMergePlan } from "@/lib/backup/restore/merge-plan";
import { restoreBackup, type ModelOutcome } from "@/lib/backup/restore/restore";
import { signInAsRefusal, type SignInAs } from "@/lib/backup/restore/sign-in-check";
import { safetySnapshotByName } from "@/lib/backup/snapshot";
import { discardUpload, uploadPath } from "@/lib/backup/uploads";
import { verifyBackupFile } from "@/lib/backup/verify/verify";

export const CONFIRMATION_WORD = "RESTORE";

export type RestoreActionResult = ActionResult<{
  kind: "restore" | "rollback";
  /** What was restored, in words: the file's name or the snapshot's. */
  label: string;
  models: ModelOutcome[];
  durationMs: number;
  safetySnapshot: string;
  /** `database_restored` notices the restore itself sent to staff (not part of the file). */
  notified: number;
  /** What "Keep my account" did, one sentence per account. */
  kept: string[];
  warnings: string[];
  /** The signed-in account is not the same after the restore: sign in again. */
  signInAgain: boolean;
  /** The backup's account the admin chose to sign in as afterwards, if they did. */
  signInAs: string | null;
  /** Older safety snapshots removed to keep the list short, in words. */
  pruned: string[];
}>;

const Confirmation = z.literal(CONFIRMATION_WORD, { error: `Type ${CONFIRMATION_WORD} to confirm.` });

interface RunOptions {
  file: string;
  actor: string;
  label: string;
  kind: "restore" | "rollback";
  acceptLoss?: boolean;
  keepMyAccount?: boolean;
  silent?: boolean;
  merge?: boolean;
  signInAs?: { username: string; password: string } | null;
}

/**
 * The typed password is checked against the hash the file holds for that account, never
 * trusted, and throttled with sign-ins (provePassword): staff could otherwise upload a backup
 * and guess its accounts' passwords, which are often still theirs here, without limit.
 */
async function provenBy(typed: { username: string; password: string }): Promise<SignInAs> {
  const request = new Headers(await headers());
  const wait = await passwordWait(typed.username, request);
  if (wait > 0) throw new ActionError(new TooManyAttempts(wait).message);
  return {
    username: typed.username,
    passwordMatches: (hash) => provePassword(typed.username, request, () => verifyPassword(typed.password, hash)),
  };
}

/** A lock-out while checking is a refusal in words, like a wrong password. */
async function refusedIfLocked<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof TooManyAttempts) throw new ActionError(error.message);
    throw error;
  }
}

async function runRestore(options: RunOptions): Promise<RestoreActionResult> {
  const { file, actor, label, kind } = options;
  const result = await restoreBackup({
    file,
    actor,
    source: "ui",
    label,
    kind,
    acceptLoss: options.acceptLoss,
    silent: options.silent,
    merge: options.merge,
    // The button is disabled then; a request sent anyway must not snapshot and notify for nothing.
    refuseEmptyMerge: true,
    // Signing in afterwards as one of the file's staff is the other way through: nothing is kept.
    keepAccounts: options.keepMyAccount && !options.signInAs ? [actor] : [],
    signInAs: options.signInAs ? await provenBy(options.signInAs) : null,
    // In the browser, a restore that would lock out the admin running it, or all staff, is refused.
    // A roll back returns to data staff were using moments before; it is how one undoes a lockout.
    guardSignIn: kind === "restore",
  });
  if (!result.ok) return { ok: false, error: result.error, problems: result.report?.problems };
  return {
    ok: true,
    kind,
    label,
    kept: result.kept,
    models: result.models,
    durationMs: result.durationMs,
    safetySnapshot: result.safetySnapshot,
    notified: result.notified,
    warnings: result.report.warnings,
    signInAgain: !(await checkStaff()).ok,
    signInAs: options.signInAs?.username ?? null,
    pruned: result.pruned,
  };
}

const SignInAsInput = z.object({
  username: z.string().min(1, { error: "Choose the account you will sign in as." }).max(150),
  password: z.string().min(1, { error: "Type that account's password." }).max(4096),
});

const RestoreUploadInput = z.object({
  uploadId: z.uuid(),
  fileName: z.string().max(255),
  confirmation: Confirmation,
  /** The person ticked "Restore anyway and lose …" for the losses the dry run listed. */
  acceptLoss: z.boolean().default(false),
  /** "Keep my account": the signed-in admin's account survives the restore as it is now. */
  keepMyAccount: z.boolean().default(false),
  /** "Silent restore": no database_restored notices to staff. */
  silent: z.boolean().default(false),
  /** "Merge": add the backup's records whose id is new; change nothing that exists. */
  merge: z.boolean().default(false),
  /** "I will sign in as one of these": a staff account of the file and its password. */
  signInAs: SignInAsInput.nullable().default(null),
});

export const restoreUpload = staffAction(RestoreUploadInput, async (input, staff) => {
  const file = uploadPath(input.uploadId);
  if (!file) throw new ActionError("The uploaded file is no longer available. Upload it again.");
  const result = await runRestore({
    file,
    actor: staff.username,
    label: input.fileName,
    kind: "restore",
    acceptLoss: input.acceptLoss,
    keepMyAccount: input.keepMyAccount,
    silent: input.silent,
    merge: input.merge,
    signInAs: input.signInAs,
  });
  if (result.ok) discardUpload(input.uploadId);
  return result;
});

const CheckSignInAsInput = SignInAsInput.extend({ uploadId: z.uuid() });

/**
 * Checks, before the restore is confirmed, that the typed password is that of the chosen staff
 * account in the uploaded file (the restore checks it again). Changes nothing.
 */
export const checkSignInAs = staffAction(CheckSignInAsInput, async (input) => {
  const file = uploadPath(input.uploadId);
  if (!file) throw new ActionError("The uploaded file is no longer available. Upload it again.");
  const report = await verifyBackupFile(file);
  if (!report.ok) throw new ActionError("This file cannot be restored.");
  const proof = await provenBy(input);
  const refusal = await refusedIfLocked(() => signInAsRefusal(report.accounts, proof));
  if (refusal) throw new ActionError(refusal.replace(/; nothing was changed\.$/, "."));
  return { ok: true, username: input.username };
});

const RollbackInput = z.object({ snapshot: z.string().max(100), confirmation: Confirmation });

export const rollbackToSnapshot = staffAction(RollbackInput, async (input, staff) => {
  const snapshot = safetySnapshotByName(input.snapshot);
  if (!snapshot)
    throw new ActionError("That safety snapshot is no longer kept. Reload the page to see those that are.");
  return runRestore({
    file: snapshot.file,
    actor: staff.username,
    label: await rollbackTarget(snapshot),
    kind: "rollback",
  });
});

export type MergePreviewResult = ActionResult<{
  /** What the merge would do, in one sentence. */
  summary: string;
  /** Per model: added under its own id, under a new id (conflicts, the first few named), already here. */
  models: ModelMergePlan[];
  /** Why the merge is not offered although the file is whole (it adds nothing); null when it is. */
  nothingToAdd: string | null;
}>;

const MergePreviewInput = z.object({ uploadId: z.uuid() });

/** The merge's dry run of an uploaded backup: asked for when Merge is ticked (a second read of the file). */
export const previewMergeOfUpload = staffAction(MergePreviewInput, async (input): Promise<MergePreviewResult> => {
  const file = uploadPath(input.uploadId);
  if (!file) throw new ActionError("The uploaded file is no longer available. Upload it again.");
  const preview = await previewMerge(file);
  if (preview.refusal) return { ok: false, error: preview.refusal };
  if (!preview.summary) {
    return { ok: false, error: "This file cannot be merged into the database.", problems: preview.report.problems };
  }
  const nothingToAdd = mergeAddsNothing(preview.models) ? NOTHING_TO_MERGE : null;
  return { ok: true, summary: preview.summary, models: preview.models, nothingToAdd };
});

const DiscardInput = z.uuid({ error: "Unknown upload." });

export const discardUploadedFile = staffAction(DiscardInput, async (uploadId) => {
  discardUpload(uploadId);
  return { ok: true };
});

const ClearArchiveInput = z.object({
  confirmation: z.literal(CLEAR_ARCHIVE_WORD, { error: `Type ${CLEAR_ARCHIVE_WORD} to confirm.` }),
  /** Do not tell the owners of the removed measurements. */
  silent: z.boolean().default(false),
});

export const clearArchivedMeasurements = staffAction(ClearArchiveInput, async (input, staff) => {
  if (readMaintenance()) throw new ActionError("A restore is running; clear the archive once it has finished.");
  const outcome = await clearArchive({ actor: staff.username, silent: input.silent });
  return { ok: true, ...outcome };
});
