// backup:push and the in-app schedule: make a gzipped backup, verify it, encrypt it when
// BACKUP_ENCRYPT_TO is set, upload it to the S3 target with its SHA-256, then apply retention.
// The plaintext is written only inside the data folder (beside the database it copies) and is
// removed whatever happens.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

import { recordAudit, type AuditEntry, type AuditSource } from "@/lib/backup/audit";
import { writeExportToFile } from "@/lib/backup/export/write-file";
import { backupFilename } from "@/lib/backup/format/format";
import { fileSha256 } from "@/lib/backup/verify/source";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { backupEncryptTo, dataDir, pushRetention } from "@/lib/config";
import { formatBytes, formatCount, formatDuration } from "@/lib/format";
import { encryptFile, parseRecipients } from "@/lib/offsite/encryption";
import { notDeletedWords, OLD_BACKUPS_NOT_DELETED, planRetention } from "@/lib/offsite/retention";
import { pushTarget } from "@/lib/offsite/targets";
import type { OffsiteBackup, OffsiteTarget } from "@/lib/offsite/targets/target";
import type { StoredReport } from "@/lib/offsite/watch";

export interface PushOptions {
  /** Back up what the app's backup API serves (GitHub Actions has no database of its own). */
  fromApi?: { url: string; key: string };
  /** The time to name the backup by (tests simulate dates); default now. */
  date?: Date;
  /** Print what would be uploaded and deleted; change nothing. */
  dryRun?: boolean;
  log?: (line: string) => void;
  source?: AuditSource;
  actor?: string;
}

export interface PushResult {
  uploaded: OffsiteBackup | null;
  name: string;
  bytes: number;
  records: number;
  removed: OffsiteBackup[];
  kept: OffsiteBackup[];
  seconds: number;
  /**
   * Why old backups were not deleted after the upload (an append-only key, say): the copy is
   * stored and counts, but the target keeps growing until someone looks.
   */
  retentionError: string | null;
}

/** Downloads the export from the backup API as the .json.gz file it gzips while it exports. */
async function downloadExport(api: { url: string; key: string }, out: string): Promise<void> {
  const url = new URL(api.url);
  url.searchParams.set("format", "json.gz");
  const res = await fetch(url, { headers: { Authorization: `Bearer ${api.key}` } }).catch((error: Error) => {
    throw new Error(`Could not reach the backup API at ${api.url}: ${error.message}.`);
  });
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    throw new Error(`The backup API refused the key (${res.status}): BACKUP_API_KEY does not match the server's.`);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new Error(`The backup API answered ${res.status}.`);
  }
  const body = Readable.fromWeb(res.body as never);
  // A server from before format=json.gz answers with the plain JSON: gzipped here instead.
  if (res.headers.get("content-type") === "application/gzip") await pipeline(body, fs.createWriteStream(out));
  else await pipeline(body, createGzip(), fs.createWriteStream(out));
}

/** Where a copy made from the API is reported stored: the export URL's sibling `stored/`. */
export function storedReportUrl(apiUrl: string): URL {
  const url = new URL(apiUrl);
  url.pathname = url.pathname.replace(/database\/?$/, "stored/");
  url.search = "";
  return url;
}

/**
 * Tells the app the copy is stored (name, size, SHA-256): only this makes it count as off-site
 * there. A copy the app cannot be told about fails the run, so the workflow shows red.
 */
async function reportStored(api: { url: string; key: string }, report: StoredReport): Promise<void> {
  const url = storedReportUrl(api.url);
  const res = await fetch(url, {
    method: "POST",
    headers: { Authorization: `Bearer ${api.key}`, "Content-Type": "application/json" },
    body: JSON.stringify(report),
    signal: AbortSignal.timeout(30_000),
  }).catch((error: Error) => {
    throw new Error(`${report.name} is stored, but the app could not be told (${error.message}).`);
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`${report.name} is stored, but the app refused the report (${res.status}).`);
}

/** Writes (or downloads), verifies and (when configured) encrypts the backup; returns the file to upload. */
async function prepareFile(work: string, date: Date, options: PushOptions, log: (line: string) => void) {
  const plain = path.join(work, backupFilename(date, "json.gz"));
  if (options.fromApi) await downloadExport(options.fromApi, plain);
  else await writeExportToFile(plain, { gzip: true });
  const report = await verifyBackupFile(plain);
  if (!report.ok || !report.complete || report.digest !== "verified") {
    // No problems but no digest either (the old Django app's format): its warnings say why.
    const why = report.problems.join("; ") || report.warnings.join("; ") || "its records have no digest to check";
    throw new Error(`The backup did not verify, so nothing was uploaded: ${why.replace(/\.$/, "")}.`);
  }
  const records = Object.values(report.counts).reduce((a, b) => a + b, 0);
  const bytes = fs.statSync(plain).size;
  log(`Made and verified ${path.basename(plain)}: ${formatCount(records)} records, ${formatBytes(bytes)}.`);
  const recipients = backupEncryptTo() ? parseRecipients(backupEncryptTo()!) : null;
  if (!recipients) return { file: plain, records };
  const sealed = `${plain}.age`;
  await encryptFile(plain, sealed, recipients);
  fs.rmSync(plain, { force: true });
  log(`Encrypted it for ${recipients.length} key(s): ${path.basename(sealed)}.`);
  return { file: sealed, records };
}

interface RetentionOutcome {
  /** What retention keeps; empty when it could not finish. */
  kept: OffsiteBackup[];
  /** Deleted (or, in a dry run, would be), also when a later delete failed. */
  removed: OffsiteBackup[];
  /** Why retention could not finish once the copy was stored (an append-only key): the push still counts. */
  error: string | null;
}

/**
 * Deletes the backups retention no longer keeps. `stored`: the new copy is on the target, so a
 * failure here leaves the push done (the error is returned); before that, it fails the push.
 */
async function applyRetention(
  target: OffsiteTarget,
  { dryRun, stored, newest, now }: { dryRun: boolean; stored: boolean; newest: OffsiteBackup; now: Date },
  log: (line: string) => void,
): Promise<RetentionOutcome> {
  const removed: OffsiteBackup[] = [];
  try {
    const listed = await target.list();
    const all = listed.some((b) => b.key === newest.key) ? listed : [newest, ...listed];
    const keep = pushRetention();
    const plan = planRetention(all, keep, now);
    for (const old of plan.remove) {
      if (!dryRun) await target.remove(old.key);
      removed.push(old);
      log(`${dryRun ? "Would delete" : "Deleted"} ${old.name} (${formatBytes(old.bytes)}).`);
    }
    log(
      `Keeping ${plan.keep.length} backup(s) in ${target.label}: every backup of the last 48 hours, and the newest of each of the last ${keep.daily} days and of the last ${keep.weekly} Sundays.`,
    );
    return { kept: plan.keep, removed, error: null };
  } catch (error) {
    if (!stored) throw error;
    log(`${newest.name} is stored, but ${OLD_BACKUPS_NOT_DELETED}: ${(error as Error).message}`);
    return { kept: [], removed, error: (error as Error).message };
  }
}

/** The push in the History (and so on Manage Storage); a dry run records nothing. */
async function recordPush(
  options: PushOptions,
  startedAt: Date,
  outcome: Pick<AuditEntry, "result" | "bytes" | "sha256" | "detail">,
): Promise<void> {
  // From the API (GitHub Actions) there is no database here to record in: the copy is reported
  // to the server once stored (reportStored), and only that counts as the off-site backup.
  if (options.dryRun || options.fromApi) return;
  await recordAudit({
    kind: "push",
    source: options.source ?? "cli",
    actor: options.actor ?? "backup:push",
    startedAt,
    ...outcome,
  });
}

export async function pushBackup(options: PushOptions = {}): Promise<PushResult> {
  const log = options.log ?? (() => {});
  const date = options.date ?? new Date();
  const started = performance.now();
  const startedAt = new Date();
  const target = pushTarget();
  const work = path.join(dataDir(), `push-${randomBytes(6).toString("hex")}`);
  fs.mkdirSync(work, { recursive: true });
  try {
    const { file, records } = await prepareFile(work, date, options, log);
    const name = path.basename(file);
    // A file in the data folder's work space: nothing for the build to trace (Turbopack warned
    // that this call made it include the whole project in the server's output).
    const bytes = fs.statSync(/*turbopackIgnore: true*/ file).size;
    const sha256 = await fileSha256(file);
    let uploaded: OffsiteBackup | null = null;
    if (options.dryRun) {
      log(`Would upload ${name} (${formatBytes(bytes)}, SHA-256 ${sha256}) to ${target.label}.`);
    } else {
      uploaded = await target.write(name, file, sha256, true);
      log(`Uploaded ${name} (${formatBytes(bytes)}, SHA-256 ${sha256}) to ${target.label}.`);
    }
    const pending: OffsiteBackup = { target: "s3", key: name, name, bytes, date, sha256, verified: true };
    const retention = await applyRetention(
      target,
      { dryRun: Boolean(options.dryRun), stored: uploaded !== null, newest: uploaded ?? pending, now: date },
      log,
    );
    // After retention, with its outcome: old backups that cannot be deleted (an append-only
    // key) do not fail the report, so the copy now stored counts, and the app says what is left.
    if (uploaded && options.fromApi) {
      const retentionError = retention.error ?? undefined;
      await reportStored(options.fromApi, { name, bytes, sha256, target: target.label, retentionError });
      log(`Reported ${name} stored to the app.`);
    }
    const seconds = (performance.now() - started) / 1000;
    await recordPush(options, startedAt, {
      result: "ok",
      bytes,
      sha256,
      detail: `${formatCount(records)} records to ${target.label} as ${name}; ${retention.removed.length} old backup(s) deleted${notDeletedWords(retention.error)}`,
    });
    log(`Done in ${formatDuration(seconds * 1000)}.`);
    return {
      uploaded,
      name,
      bytes,
      records,
      removed: retention.removed,
      kept: retention.kept,
      seconds,
      retentionError: retention.error,
    };
  } catch (error) {
    await recordPush(options, startedAt, { result: "failed", detail: (error as Error).message });
    throw error;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
