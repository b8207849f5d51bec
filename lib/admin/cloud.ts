// The Cloud Backups card: every configured off-site target's backups, a download streamed
// through the app, and "Restore this", which fetches the backup into the uploads folder and
// answers with the same dry run as an upload (the same confirmation and restore follow).
import path from "node:path";

import { z } from "zod";

import { dryRunOfUpload, openIfEncrypted, type DryRun } from "@/lib/admin/upload";
import { ActionError, staffAction } from "@/lib/auth/staff-action";
import { cloudChecks, recordAudit } from "@/lib/backup/audit";
import { readMaintenance } from "@/lib/backup/maintenance";
import { discardUpload, saveUpload, uploadPath, UploadTooLargeError } from "@/lib/backup/uploads";
import { fileSha256 } from "@/lib/backup/verify/source";
import { backupAgeIdentity, maxUploadBytes, providerTimeoutMs } from "@/lib/config";
import { EncryptionError, isEncrypted } from "@/lib/offsite/encryption";
import { configuredTargets, targetOf } from "@/lib/offsite/targets";
import { answerWithin, TargetError, type TargetKind } from "@/lib/offsite/targets/target";
import { recordListedBackup } from "@/lib/offsite/watch";

export interface CloudBackup {
  target: TargetKind;
  key: string;
  name: string;
  bytes: number;
  date: string;
  verified: boolean;
  sha256: string | null;
  /**
   * "verified": fetched here, and its bytes matched the SHA-256 recorded when it was pushed;
   * "mismatch": they did not (changed or damaged in storage: never restored); "unchecked": not
   * fetched since (or no SHA-256 was recorded to compare with).
   */
  check: "verified" | "mismatch" | "unchecked";
}

export interface CloudTarget {
  kind: TargetKind;
  label: string;
  backups: CloudBackup[];
  /** Why the listing failed, in words; the other targets still show. */
  error: string | null;
}

/** The configured targets in words, without asking any of them anything. */
export function cloudTargetLabels(): string[] {
  try {
    return configuredTargets().map((t) => t.label);
  } catch {
    return [];
  }
}

export async function listCloudBackups(): Promise<CloudTarget[]> {
  let targets;
  try {
    targets = configuredTargets();
  } catch (error) {
    return [{ kind: "s3", label: "off-site storage", backups: [], error: (error as Error).message }];
  }
  const checks = await cloudChecks();
  const checkOf = (key: string, sha256: string | null): CloudBackup["check"] => {
    const last = checks.get(key);
    if (!last || !sha256 || last.recorded !== sha256) return "unchecked";
    return last.ok ? "verified" : "mismatch";
  };
  return Promise.all(
    targets.map(async (target): Promise<CloudTarget> => {
      try {
        // The target's own timeouts end each request; this ends a listing of many requests.
        const listed = await answerWithin(target.list(), providerTimeoutMs(), target.label);
        // What a target shows is off-site, whether or not anyone reported it.
        if (listed[0]) await recordListedBackup(listed[0], target.label);
        const backups = listed.map((b) => ({ ...b, date: b.date.toISOString(), check: checkOf(b.key, b.sha256) }));
        return { kind: target.kind, label: target.label, backups, error: null };
      } catch (error) {
        const message = error instanceof TargetError ? error.message : "The listing failed; see the server log.";
        if (!(error instanceof TargetError)) console.error("Listing an off-site target failed:", error);
        return { kind: target.kind, label: target.label, backups: [], error: message };
      }
    }),
  );
}

const cloudBackupInput = z.object({
  target: z.enum(["s3", "github"]),
  key: z.string().min(1).max(1024),
});

/** The backup's bytes, for the download route (staff checked there). */
export async function openCloudBackup(target: TargetKind, key: string) {
  return { name: path.posix.basename(key), stream: await targetOf(target).read(key) };
}

/**
 * Compares a fetched backup's bytes with the SHA-256 recorded when it was pushed, before
 * anything else reads them, and keeps the outcome in History (the card's "verified"). A
 * mismatch discards the file and refuses the restore.
 */
export async function checkFetchedBackup(
  target: TargetKind,
  key: string,
  uploadId: string,
  actor: string,
): Promise<void> {
  const [recorded, actual] = await Promise.all([
    targetOf(target).recordedSha256(key),
    fileSha256(uploadPath(uploadId)!),
  ]);
  if (!recorded) return;
  const ok = recorded === actual;
  await recordAudit({
    kind: "cloud-check",
    source: "ui",
    actor,
    startedAt: new Date(),
    result: ok ? "ok" : "failed",
    sha256: actual,
    detail: JSON.stringify({ key, recorded }),
  });
  if (ok) return;
  discardUpload(uploadId);
  throw new ActionError(
    `${path.posix.basename(key)} was changed or damaged in storage: its bytes do not match the SHA-256 recorded when it was pushed (${recorded.slice(0, 12)}…, downloaded ${actual.slice(0, 12)}…). It will not be restored; choose another backup.`,
  );
}

export const fetchCloudBackupForRestore = staffAction(cloudBackupInput, async ({ target, key }, staff) => {
  if (readMaintenance()) throw new ActionError("A restore is running; try again when it has finished.");
  let saved: { id: string; bytes: number };
  try {
    saved = await saveUpload((await openCloudBackup(target, key)).stream, maxUploadBytes());
  } catch (error) {
    if (error instanceof TargetError || error instanceof UploadTooLargeError) throw new ActionError(error.message);
    throw error;
  }
  try {
    await checkFetchedBackup(target, key, saved.id, staff.username);
  } catch (error) {
    if (error instanceof TargetError) {
      discardUpload(saved.id);
      throw new ActionError(error.message);
    }
    throw error;
  }
  let encrypted = false;
  if (isEncrypted(uploadPath(saved.id)!)) {
    const identity = backupAgeIdentity();
    if (!identity) {
      discardUpload(saved.id);
      throw new ActionError(
        "This backup is encrypted and the server has no BACKUP_AGE_IDENTITY. Download it, then upload it under Restore with its key file.",
      );
    }
    try {
      encrypted = await openIfEncrypted(saved.id, identity);
    } catch (error) {
      if (error instanceof EncryptionError) throw new ActionError(error.message);
      throw error;
    }
  }
  const dryRun: DryRun = await dryRunOfUpload(saved, {
    fileName: path.posix.basename(key),
    encrypted,
    username: staff.username,
  });
  return { ok: true as const, dryRun };
});
