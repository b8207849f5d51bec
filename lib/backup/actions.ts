// What the Manage Storage server actions do, with typed results instead of exceptions.
import { z } from "zod";

import { checkStaff, requireStaff } from "@/lib/auth/guard";
import { restoreBackup, type ModelOutcome } from "@/lib/backup/restore";
import { safetySnapshotByName } from "@/lib/backup/snapshot";
import { discardUpload, uploadPath } from "@/lib/backup/uploads";

export const CONFIRMATION_WORD = "RESTORE";

export type RestoreActionResult =
  | {
      ok: true;
      models: ModelOutcome[];
      durationMs: number;
      safetySnapshot: string;
      notified: number;
      warnings: string[];
      /** The signed-in account is not the same after the restore: sign in again. */
      signInAgain: boolean;
    }
  | { ok: false; error: string; problems?: string[] };

const Confirmation = z.literal(CONFIRMATION_WORD, { error: `Type ${CONFIRMATION_WORD} to confirm.` });
const RestoreUploadInput = z.object({
  uploadId: z.uuid(),
  fileName: z.string().max(255),
  confirmation: Confirmation,
  /** The person ticked "Restore anyway and lose …" for the losses the dry run listed. */
  acceptLoss: z.boolean().default(false),
});
const RollbackInput = z.object({ snapshot: z.string().max(100), confirmation: Confirmation });

async function run(
  file: string,
  actor: string,
  label: string,
  kind: "restore" | "rollback",
  acceptLoss = false,
): Promise<RestoreActionResult> {
  const result = await restoreBackup({ file, actor, source: "ui", label, kind, acceptLoss });
  if (!result.ok) return { ok: false, error: result.error, problems: result.report?.problems };
  return {
    ok: true,
    models: result.models,
    durationMs: result.durationMs,
    safetySnapshot: result.safetySnapshot,
    notified: result.notified,
    warnings: result.report.warnings,
    signInAgain: !(await checkStaff()).ok,
  };
}

export async function restoreUpload(input: unknown): Promise<RestoreActionResult> {
  const staff = await requireStaff();
  if (!staff.ok) return { ok: false, error: staff.error };
  const parsed = RestoreUploadInput.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]!.message };
  const file = uploadPath(parsed.data.uploadId);
  if (!file) return { ok: false, error: "The uploaded file is no longer available. Upload it again." };
  const result = await run(file, staff.account.username, parsed.data.fileName, "restore", parsed.data.acceptLoss);
  if (result.ok) discardUpload(parsed.data.uploadId);
  return result;
}

export async function rollbackToSnapshot(input: unknown): Promise<RestoreActionResult> {
  const staff = await requireStaff();
  if (!staff.ok) return { ok: false, error: staff.error };
  const parsed = RollbackInput.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]!.message };
  const snapshot = safetySnapshotByName(parsed.data.snapshot);
  if (!snapshot) return { ok: false, error: "No such safety snapshot." };
  return run(snapshot.file, staff.account.username, `safety snapshot ${snapshot.name}`, "rollback");
}

export async function discardUploadedFile(input: unknown): Promise<{ ok: true } | { ok: false; error: string }> {
  const staff = await requireStaff();
  if (!staff.ok) return { ok: false, error: staff.error };
  const parsed = z.uuid().safeParse(input);
  if (!parsed.success) return { ok: false, error: "Unknown upload." };
  discardUpload(parsed.data);
  return { ok: true };
}
