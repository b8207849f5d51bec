// Runtime configuration, read from the environment on each call so that tests and
// CLIs can point the same code at different databases.
import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/dev.db";
export const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/** Absolute path of the SQLite file named by DATABASE_URL (`file:` URL or plain path). */
export function databasePath(url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): string {
  const withoutScheme = url.startsWith("file:") ? url.slice("file:".length) : url;
  const withoutQuery = withoutScheme.split("?")[0]!;
  return path.resolve(withoutQuery);
}

/** Folder for safety snapshots, uploads and the maintenance lock: DATA_DIR, else beside the database. */
export function dataDir(): string {
  return path.resolve(process.env.DATA_DIR ?? path.dirname(databasePath()));
}

export function maxUploadBytes(): number {
  const raw = process.env.MAX_UPLOAD_BYTES;
  const parsed = raw ? Number(raw) : NaN;
  return Number.isFinite(parsed) && parsed > 0 ? parsed : DEFAULT_MAX_UPLOAD_BYTES;
}

/** The database size the lab plans for (MAX_DATABASE_SIZE_MB, default 1024 MiB): warn at 80 %, critical at 95 %. */
export function maxDatabaseBytes(): number {
  const parsed = Number(process.env.MAX_DATABASE_SIZE_MB);
  return (Number.isFinite(parsed) && parsed > 0 ? parsed : 1024) * 1024 * 1024;
}

/** Exports streamed at once by the server (BACKUP_EXPORT_CONCURRENCY); later requests wait. */
export function exportConcurrency(): number {
  const parsed = Number(process.env.BACKUP_EXPORT_CONCURRENCY);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : 4;
}

/** The key automation presents to the backup API; undefined when not configured. */
export function backupApiKey(): string | undefined {
  const key = process.env.BACKUP_API_KEY?.trim();
  return key ? key : undefined;
}

/** Failed bearer-key attempts per client per 10 minutes before the backup API answers 429. */
export function backupApiMaxFailures(): number {
  const parsed = Number(process.env.BACKUP_API_MAX_FAILURES);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : 5;
}

/** Hours after which the last off-site backup counts as stale (BACKUP_MAX_AGE_HOURS, default 192 = 8 days). */
export function backupMaxAgeHours(): number {
  const parsed = Number(process.env.BACKUP_MAX_AGE_HOURS);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : 192;
}

/** `age1…` public keys backups are encrypted to (BACKUP_ENCRYPT_TO, comma-separated); undefined when unset. */
export function backupEncryptTo(): string | undefined {
  return process.env.BACKUP_ENCRYPT_TO?.trim() || undefined;
}

/** The age private key (AGE-SECRET-KEY-1…) that opens encrypted backups (BACKUP_AGE_IDENTITY). */
export function backupAgeIdentity(): string | undefined {
  return process.env.BACKUP_AGE_IDENTITY?.trim() || undefined;
}

export const APP_NAME = "lab-queue-admin";
export const APP_VERSION = "0.1.0";
