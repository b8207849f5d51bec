"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useState, type FormEvent } from "react";

import { checkSignInAsAction, discardUploadAction, restoreUploadAction } from "@/app/admin/storage/actions";
import { DryRunReport } from "@/components/storage/restore/DryRunReport";
import {
  MergeConfirmList,
  MergePreview,
  useMergePreview,
  type MergePreviewState,
} from "@/components/storage/restore/MergePreview";
import { blockedReason, lockoutAvoided, RestoreChoices } from "@/components/storage/restore/RestoreChoices";
import { useRestoreState } from "@/components/storage/restore/RestoreContext";
import { RestoreOutcome } from "@/components/storage/restore/RestoreOutcome";
import { SIGN_IN_AS_PASSWORD_ID } from "@/components/storage/restore/SignInWay";
import { isEncryptedBackup, readAgeKey, uploadFile } from "@/components/storage/restore/upload-file";
import { shouldRefreshAfter, useRestoreRun } from "@/components/storage/restore/useRestoreRun";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { LabelledField } from "@/components/ui/Field";
import { ProgressBar } from "@/components/ui/ProgressBar";
import type { RestoreActionResult } from "@/lib/admin/storage-actions";
import type { DryRun } from "@/lib/admin/upload";
import { formatBytes } from "@/lib/format";

/** The file chooser, where focus goes back after a dry run is discarded. */
const BACKUP_FILE_ID = "backup-file";

const CONFIRMATION_WORD = "RESTORE";
const fileInputClass =
  "mt-1 block w-full max-w-md text-sm file:mr-3 file:rounded file:border-0 file:bg-slate-200 file:px-3 file:py-1.5";

type Upload =
  | { state: "idle" }
  | { state: "uploading"; sent: number; total: number }
  | { state: "checking" }
  | { state: "error"; message: string };

export function RestorePanel({ maxUploadBytes }: { maxUploadBytes: number }) {
  const router = useRouter();
  const blockedId = useId();
  const [encrypted, setEncrypted] = useState(false);
  const [upload, setUpload] = useState<Upload>({ state: "idle" });
  const { dryRun, show: setDryRun, choices, setChoices } = useRestoreState();
  const [confirming, setConfirming] = useState(false);
  const [checkingPassword, setCheckingPassword] = useState(false);
  const [signInAsError, setSignInAsError] = useState<string | null>(null);
  const restore = useRestoreRun();

  function changeChoices(next: typeof choices) {
    // Another account or password needs another check.
    setSignInAsError(null);
    setChoices(next);
  }

  /** Opens the confirm dialog, once the password of the account to sign in as afterwards matches the backup. */
  async function onRestoreClick() {
    if (!dryRun?.uploadId) return;
    if (choices.signInAs && !choices.merge) {
      setCheckingPassword(true);
      const checked = await checkSignInAsAction({ uploadId: dryRun.uploadId, ...choices.signInAs }).catch(
        (error: Error) => ({ ok: false as const, error: `The check failed: ${error.message}` }),
      );
      setCheckingPassword(false);
      if (!checked.ok) {
        setSignInAsError(checked.error);
        document.getElementById(SIGN_IN_AS_PASSWORD_ID)?.focus();
        return;
      }
    }
    setConfirming(true);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Read the form now: React clears currentTarget once this handler awaits.
    const form = new FormData(event.currentTarget);
    const file = (form.get("backup") as File | null) ?? null;
    if (!file || (file.size === 0 && file.name === ""))
      return setUpload({ state: "error", message: "Choose a backup file first." });
    if (file.size > maxUploadBytes) {
      return setUpload({
        state: "error",
        message: `The file is ${formatBytes(file.size)}, above the ${formatBytes(maxUploadBytes)} upload limit.`,
      });
    }
    let key: string | null = null;
    if (await isEncryptedBackup(file)) {
      setEncrypted(true);
      const keyFile = form.get("key") as File | null;
      if (!keyFile || keyFile.size === 0)
        return setUpload({ state: "error", message: "This backup is encrypted: choose its key file too." });
      try {
        key = await readAgeKey(keyFile);
      } catch (error) {
        return setUpload({ state: "error", message: (error as Error).message });
      }
    }
    setDryRun(null);
    restore.reset();
    setUpload({ state: "uploading", sent: 0, total: file.size });
    try {
      const result = await uploadFile(
        file,
        key,
        (sent) => setUpload({ state: "uploading", sent, total: file.size }),
        () => setUpload({ state: "checking" }),
      );
      setDryRun(result);
      setUpload({ state: "idle" });
    } catch (error) {
      setUpload({ state: "error", message: (error as Error).message });
    }
  }

  async function onConfirm(typed: string) {
    if (!dryRun?.uploadId) return;
    setConfirming(false);
    const { uploadId, fileName } = dryRun;
    const outcome = await restore.run(() =>
      restoreUploadAction({ uploadId, fileName, confirmation: typed, ...choices }),
    );
    setDryRun(null);
    if (shouldRefreshAfter(outcome)) router.refresh();
  }

  async function onDiscard() {
    if (dryRun?.uploadId) await discardUploadAction(dryRun.uploadId);
    setDryRun(null);
    // The Discard button goes with the dry run: focus goes back to where another file is chosen,
    // not to the top of the page.
    document.getElementById(BACKUP_FILE_ID)?.focus();
  }

  const mergePreview = useMergePreview(dryRun?.uploadId ?? null, choices.merge);
  const announcement = useAnnouncement(dryRun, restore.result, mergePreview);
  const mergeReady = mergePreview && !("state" in mergePreview) && mergePreview.ok ? mergePreview : null;
  const mergeBlocked = !mergePreview
    ? null
    : "state" in mergePreview
      ? "Wait for the comparison with the database."
      : mergePreview.ok
        ? mergePreview.nothingToAdd
        : "This file cannot be merged.";
  const blocked = dryRun ? (mergeBlocked ?? blockedReason(dryRun, choices)) : null;
  const busy =
    upload.state === "uploading" || upload.state === "checking" || restore.progress !== null || checkingPassword;
  const signingInAs = choices.signInAs && !choices.merge ? choices.signInAs.username : null;
  return (
    <section aria-labelledby="restore-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <div>
        <h2 id="restore-heading" className="text-lg font-semibold">
          Restore
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Upload a backup (<code>.json</code>, <code>.json.gz</code>, a <code>.sqlite3</code> snapshot, or any of them
          encrypted as <code>.age</code>; up to {formatBytes(maxUploadBytes)}). It is checked first; nothing changes
          until you confirm.
        </p>
      </div>
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3">
        <LabelledField label="Backup file" id={BACKUP_FILE_ID}>
          {({ id }) => (
            <input
              id={id}
              name="backup"
              type="file"
              accept=".json,.gz,.sqlite3,.sqlite,.db,.age,application/json,application/gzip"
              disabled={busy}
              onChange={async (e) => {
                const chosen = e.currentTarget.files?.[0];
                setEncrypted(chosen ? await isEncryptedBackup(chosen) : false);
              }}
              className={fileInputClass}
            />
          )}
        </LabelledField>
        {encrypted ? (
          <LabelledField
            label="Key file"
            testId="key-file-field"
            help={
              <>
                This backup is encrypted. Choose the private key file (AGE-SECRET-KEY-1…) kept in the lab&apos;s
                password manager; it opens the file once and is not kept.
              </>
            }
          >
            {({ id, describedBy }) => (
              <input
                id={id}
                name="key"
                type="file"
                accept=".txt,.key,text/plain"
                disabled={busy}
                aria-describedby={describedBy}
                className={fileInputClass}
              />
            )}
          </LabelledField>
        ) : null}
        <button
          type="submit"
          disabled={busy}
          className="rounded bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-60"
        >
          Upload and check
        </button>
      </form>

      {upload.state === "uploading" ? (
        <ProgressBar
          label={`Uploading ${formatBytes(upload.sent)} of ${formatBytes(upload.total)}`}
          value={upload.total ? upload.sent / upload.total : null}
        />
      ) : null}
      {upload.state === "checking" ? <ProgressBar label="Checking the whole file" value={null} /> : null}
      {upload.state === "error" ? (
        <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-900">
          {upload.message}
        </p>
      ) : null}

      {dryRun ? (
        <>
          <DryRunReport
            dryRun={dryRun}
            merge={mergePreview ? <MergePreview preview={mergePreview} /> : undefined}
            lockoutAvoided={lockoutAvoided(dryRun, choices)}
          />
          {dryRun.uploadId ? <RestoreChoices dryRun={dryRun} choices={choices} onChange={changeChoices} /> : null}
          {blocked && dryRun.uploadId ? (
            // Nothing to add is no fault of the file: said plainly, not in red.
            <p
              className={`text-sm ${blocked === mergeReady?.nothingToAdd ? "text-slate-700" : "text-red-800"}`}
              id={blockedId}
            >
              {blocked}
            </p>
          ) : null}
          {signInAsError ? (
            <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-900" data-testid="sign-in-as-error">
              {signInAsError}
            </p>
          ) : null}
          <div className="flex gap-3">
            {dryRun.uploadId ? (
              <button
                type="button"
                disabled={busy || blocked !== null}
                aria-describedby={blocked ? blockedId : undefined}
                onClick={onRestoreClick}
                className="rounded bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800 disabled:opacity-50"
              >
                {checkingPassword
                  ? "Checking the password…"
                  : choices.merge
                    ? "Merge this backup…"
                    : "Restore this backup…"}
              </button>
            ) : null}
            <button
              type="button"
              onClick={onDiscard}
              disabled={busy}
              className="rounded border border-slate-300 px-4 py-2 hover:bg-slate-100"
            >
              Discard
            </button>
          </div>
        </>
      ) : null}

      {restore.progress ? (
        <ProgressBar label={`Restoring: ${restore.progress.phase}`} value={restore.progress.value} />
      ) : null}
      {restore.result ? <RestoreOutcome result={restore.result} /> : null}
      <p role="status" className="sr-only" data-testid="restore-announcement">
        {announcement}
      </p>

      <ConfirmDialog
        open={confirming}
        title={choices.merge ? "Add the backup's new records?" : "Replace ALL current data?"}
        confirmWord={CONFIRMATION_WORD}
        confirmLabel={choices.merge ? "Add new records" : "Replace all data"}
        onConfirm={onConfirm}
        onCancel={() => setConfirming(false)}
      >
        {choices.merge ? (
          <>
            <p>
              Merging <strong>{dryRun?.fileName}</strong> adds its records that are not here yet; every existing row
              stays as it is. Records whose id belongs to a different record here come in under a new id, and the
              file&apos;s references to them follow.
            </p>
            {mergeReady ? (
              <>
                <p data-testid="confirm-summary">{mergeReady.summary}</p>
                <MergeConfirmList preview={mergeReady} />
              </>
            ) : null}
          </>
        ) : (
          <>
            <p>
              Restoring <strong>{dryRun?.fileName}</strong> deletes <strong>all</strong> current users, machines, queue
              entries, presets, measurements, preferences and notifications, and loads the backup&apos;s instead
              {choices.keepMyAccount && !signingInAs ? ", keeping your own account as it is" : ""}.
            </p>
            {signingInAs ? (
              <p data-testid="confirm-sign-in-as">
                Your account here is not kept: you will be signed out, and sign in again as{" "}
                <strong>{signingInAs}</strong> with the password you typed.
              </p>
            ) : null}
            {dryRun ? <p data-testid="confirm-summary">{dryRun.summary}</p> : null}
          </>
        )}
        <p>A safety snapshot of the current data is taken first, so you can roll back.</p>
      </ConfirmDialog>
    </section>
  );
}

/**
 * What a screen reader hears when the dry run or the restore's outcome appears, said through
 * the panel's live region (on the page before either); focus moves there too.
 */
function useAnnouncement(
  dryRun: DryRun | null,
  result: RestoreActionResult | null,
  merge: MergePreviewState | null,
): string {
  useEffect(() => {
    if (dryRun) document.getElementById("dry-run-heading")?.focus();
  }, [dryRun]);
  useEffect(() => {
    // A restore that signed this session out moves focus to its own notice.
    if (!result || (result.ok && result.signInAgain)) return;
    document.getElementById(result.ok ? "outcome-heading" : "restore-error")?.focus();
  }, [result]);
  if (result) {
    if (!result.ok) return result.error;
    const merged = result.models.some((m) => m.added !== undefined);
    return `${result.kind === "rollback" ? "Roll back" : merged ? "Merge" : "Restore"} complete.`;
  }
  if (!dryRun) return "";
  // Merge ticked: the merge's own dry run is what the page now shows.
  if (merge && dryRun.uploadId) {
    if ("state" in merge) return `Comparing ${dryRun.fileName} with the database for a merge.`;
    return merge.ok ? `Merge dry run ready for ${dryRun.fileName}. ${merge.summary}` : merge.error;
  }
  return dryRun.uploadId
    ? `Dry run ready for ${dryRun.fileName}. ${dryRun.summary}`
    : `${dryRun.fileName} cannot be restored: ${dryRun.report.problems[0] ?? "see the dry run"}`;
}
