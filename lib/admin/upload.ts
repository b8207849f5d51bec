// POST /admin/storage/upload (staffRoute: staff, same origin): stores an uploaded backup and answers with its dry run —
// what the file holds against the current database, and every problem found. An encrypted
// backup (age) comes with its private key in the X-Backup-Key header: it is opened once, on
// arrival, and the key is neither stored nor logged.
import fs from "node:fs";

import type { AccountRow } from "@/lib/auth/accounts";
import { RouteError } from "@/lib/auth/route";
import { modelChanges, restoreSummary, type ModelChange } from "@/lib/backup/restore/dry-run-summary";
import { checkSignIn, liveAccountNow, type SignInCheck } from "@/lib/backup/restore/sign-in-check";
import { databaseCounts } from "@/lib/backup/row-counts";
import { discardUpload, markDecrypted, saveUpload, uploadPath, UploadTooLargeError } from "@/lib/backup/uploads";
import { verifyBackupFile, type BackupReport } from "@/lib/backup/verify/verify";
import { maxUploadBytes } from "@/lib/config";
import { refusalWhileRestoring } from "@/lib/http/maintenance";
import { decryptFile, EncryptionError, isEncrypted, parseIdentity } from "@/lib/offsite/encryption";

export interface DryRun {
  uploadId: string | null;
  fileName: string;
  bytes: number;
  /** The file was age-encrypted and opened with the key sent along. */
  encrypted: boolean;
  /** The verification report, without the file's accounts (they stay on the server). */
  report: BackupReport;
  current: Record<string, number>;
  /** Who could sign in after restoring this file, for the signed-in admin. */
  signIn: SignInCheck;
  /** Per model: rows in the file, now, and the difference. */
  changes: ModelChange[];
  /** What the restore would change, in one sentence. */
  summary: string;
}

/** The browser's name for the file, for display only. */
function displayName(header: string | null): string {
  let name = "backup";
  try {
    name = decodeURIComponent(header ?? "backup");
  } catch {
    // Keep the default.
  }
  return (
    name
      .split(/[\\/]/)
      .pop()!
      .replace(/[\u0000-\u001f]/g, "")
      .slice(0, 200) || "backup"
  );
}

const NEEDS_KEY =
  "This backup is encrypted. Choose its key file too (the AGE-SECRET-KEY-1… key from the lab's password manager).";

/**
 * Replaces an encrypted upload by its plaintext, under the same id. Returns whether the file was
 * encrypted; throws EncryptionError (the upload discarded) when the key is missing or wrong.
 */
export async function openIfEncrypted(id: string, key: string | null): Promise<boolean> {
  const file = uploadPath(id)!;
  if (!isEncrypted(file)) return false;
  const plain = `${file}.plain`;
  try {
    if (!key) throw new EncryptionError(NEEDS_KEY);
    await decryptFile(file, plain, parseIdentity(key));
    fs.renameSync(plain, file);
    markDecrypted(id);
    return true;
  } catch (error) {
    fs.rmSync(plain, { force: true });
    discardUpload(id);
    throw error;
  }
}

/**
 * The dry run of a stored upload (from the browser or fetched from an off-site target): the
 * whole file checked and compared with the database now. A file that cannot be restored is
 * discarded at once.
 */
export async function dryRunOfUpload(
  saved: { id: string; bytes: number },
  { fileName, encrypted, username }: { fileName: string; encrypted: boolean; username: string },
): Promise<DryRun> {
  const report = await verifyBackupFile(uploadPath(saved.id)!, { fileName });
  if (!report.ok) discardUpload(saved.id);
  return {
    uploadId: report.ok ? saved.id : null,
    fileName,
    bytes: saved.bytes,
    encrypted,
    ...(await comparedWithDatabase(report, username)),
  };
}

/** A checked file against the database now, as the browser sees it (the file's accounts stay here). */
export async function comparedWithDatabase(
  report: BackupReport,
  username: string,
): Promise<Pick<DryRun, "report" | "current" | "signIn" | "changes" | "summary">> {
  const current = Object.fromEntries((await databaseCounts()).map((c) => [c.label, c.rows]));
  const signIn = checkSignIn(report.accounts, await liveAccountNow(username));
  return {
    report: { ...report, accounts: [] },
    current,
    signIn,
    changes: modelChanges(report, current),
    summary: restoreSummary(report, current),
  };
}

/**
 * Stores the request's body as an upload and answers its dry run; a refusal (too large, no
 * file, a key missing or wrong) is a RouteError, a restore running its 503.
 */
export async function receiveUpload(request: Request, staff: AccountRow): Promise<DryRun | Response> {
  const busy = refusalWhileRestoring();
  if (busy) return busy;
  const limit = maxUploadBytes();
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limit) throw new RouteError(413, new UploadTooLargeError(limit).message);
  if (!request.body) throw new RouteError(400, "No file was sent.");

  let saved: { id: string; bytes: number };
  try {
    saved = await saveUpload(request.body, limit);
  } catch (error) {
    if (error instanceof UploadTooLargeError) throw new RouteError(413, error.message);
    throw new RouteError(507, `The upload could not be stored: ${(error as Error).message}`);
  }
  let encrypted: boolean;
  try {
    encrypted = await openIfEncrypted(saved.id, request.headers.get("x-backup-key"));
  } catch (error) {
    if (error instanceof EncryptionError) throw new RouteError(400, error.message);
    throw error;
  }
  return dryRunOfUpload(saved, {
    fileName: displayName(request.headers.get("x-file-name")),
    encrypted,
    username: staff.username,
  });
}
