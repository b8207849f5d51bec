// Consistent copies of the live SQLite file, made with SQLite's online backup API (the
// same mechanism as `sqlite3 .backup`), never by copying a file that is being written.
// The copy runs on a thread of its own: a restore's safety snapshot is taken while the
// restore checks and loads the file, and a download's copy never stalls the server.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";

import { recordAudit, type AuditSource } from "@/lib/backup/audit";
import { writeExportToFile } from "@/lib/backup/export/write-file";
import { backupFilename } from "@/lib/backup/format/format";
import {
  readSnapshotInfoOf,
  recordSnapshotInfo,
  snapshotInfoSidecar,
  type SnapshotPurpose,
} from "@/lib/backup/snapshot-info";
import { fileSha256 } from "@/lib/backup/verify/source";
import { databasePath, dataDir } from "@/lib/config";
import { writeEngine } from "@/lib/db/engine/write";
import { NOT_LITESTREAM_TABLE } from "@/lib/db/litestream-tables";
import { sqliteDriverPath } from "@/lib/db/sqlite";

/**
 * Pruning keeps the newest SAFETY_SNAPSHOTS_KEPT, and the oldest of each of the last
 * SAFETY_SNAPSHOT_DAYS days (UTC, today included): a morning of trial restores leaves the
 * snapshot taken before the first of them (the data as it was before that day's work, the one a
 * lab manager most often wants back), however many followed.
 */
export const SAFETY_SNAPSHOTS_KEPT = 5;
export const SAFETY_SNAPSHOT_DAYS = 7;

/**
 * The copying thread, as plain CommonJS (a worker runs a file or a string, not our bundled
 * TypeScript). It opens the source read-only: in WAL mode it then copies the last commit,
 * whatever a transaction on another connection has written but not committed.
 */
const COPY_THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
async function copy() {
  const db = new Database(workerData.source, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    // Every page is copied once: caching them would only add memory.
    db.pragma("cache_size = -2048");
    await db.backup(workerData.out, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  // Litestream's bookkeeping tables, when it replicates the live file, are not the lab's data.
  const out = new Database(workerData.out, { fileMustExist: true });
  try {
    const names = out.prepare(workerData.litestreamTables).pluck().all();
    for (const name of names) out.exec('DROP TABLE "' + name.replaceAll('"', '""') + '"');
  } finally {
    out.close();
  }
}
copy().then(
  () => parentPort.postMessage({ error: null }),
  (error) => parentPort.postMessage({ error: { message: error.message, code: error.code } }),
);
`;

class SnapshotError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(code && !message.startsWith(code) ? `${code}: ${message}` : message);
  }
}

/** Copies `source` to `out` with the backup API on a thread of its own. */
function copyOnItsOwnThread(source: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(COPY_THREAD, {
      eval: true,
      workerData: {
        driver: sqliteDriverPath(),
        source,
        out,
        litestreamTables: `SELECT name FROM sqlite_master WHERE type = 'table' AND NOT (${NOT_LITESTREAM_TABLE})`,
      },
      // SQLite copies the pages; JavaScript here holds next to nothing.
      resourceLimits: { maxYoungGenerationSizeMb: 2 },
    });
    let answered = false;
    worker.once("message", ({ error }: { error: { message: string; code?: string } | null }) => {
      answered = true;
      if (error) reject(new SnapshotError(error.message, error.code));
      else resolve();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (!answered) reject(new Error(`the copying thread stopped (exit code ${code})`));
    });
  });
}

export interface SnapshotInfo {
  name: string;
  file: string;
  bytes: number;
  createdAt: Date;
}

/** A safety snapshot with what it records of itself (none for one an older version took). */
export interface SafetySnapshot extends SnapshotInfo {
  purpose: SnapshotPurpose | null;
  /** Rows per Django label in it. */
  counts: Record<string, number> | null;
}

/**
 * Writes a snapshot of `source` to `out` (via `out.partial`, renamed when complete), with the
 * time it was taken recorded inside (snapshot-info.ts): a copied or uploaded file keeps it.
 */
export async function writeSnapshot(
  out: string,
  source = databasePath(),
): Promise<{ file: string; bytes: number; takenAt: Date }> {
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const partial = `${out}.partial`;
  try {
    // The copy holds the data as committed when it starts.
    const takenAt = new Date();
    await copyOnItsOwnThread(source, partial);
    recordSnapshotInfo(partial, { takenAt: takenAt.toISOString() });
    fs.renameSync(partial, out);
    return { file: out, bytes: fs.statSync(out).size, takenAt };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

export function snapshotsDir(): string {
  return path.join(dataDir(), "snapshots");
}

function stamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", "_").replaceAll(":", "-");
}

/**
 * A new safety snapshot of the live database; the older ones are left as they are (a restore
 * prunes them once it has committed: pruneSafetySnapshots).
 */
export async function writeSafetySnapshot(): Promise<SnapshotInfo> {
  const createdAt = new Date();
  const name = `safety_${stamp(createdAt)}_${randomBytes(3).toString("hex")}.sqlite3`;
  const file = path.join(snapshotsDir(), name);
  const { bytes } = await writeSnapshot(file);
  return { name, file, bytes, createdAt };
}

/**
 * A safety snapshot that is our own export (`.json.gz`) of the data as last committed: how a
 * database that is not a file (PostgreSQL) is kept before a restore. It restores like any
 * backup, on either engine; roll back reads it.
 */
export async function writeSafetyExport(): Promise<SnapshotInfo> {
  const createdAt = new Date();
  const name = `safety_${stamp(createdAt)}_${randomBytes(3).toString("hex")}.json.gz`;
  const file = path.join(snapshotsDir(), name);
  const { fileBytes } = await writeExportToFile(file, { gzip: true });
  recordSnapshotInfo(file, { takenAt: createdAt.toISOString() });
  return { name, file, bytes: fileBytes, createdAt };
}

/**
 * A safety snapshot of the live database in the form its engine keeps: a copy of the file where
 * the database is one (SQLite), our own compressed export otherwise (PostgreSQL).
 */
export async function writeSafetyCopy(): Promise<SnapshotInfo> {
  return writeEngine().file ? writeSafetySnapshot() : writeSafetyExport();
}

/** Removes a snapshot and anything recorded beside it. */
export function removeSnapshotFile(file: string): void {
  fs.rmSync(file, { force: true });
  fs.rmSync(snapshotInfoSidecar(file), { force: true });
}

// A copy of the SQLite file, or (where the engine cannot be copied as a file: PostgreSQL) our
// own compressed export, with its recorded facts in a file beside it (snapshot-info.ts).
const SAFETY_NAME = /^safety_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_[0-9a-f]{6}\.(sqlite3|json\.gz)$/;

/** The time in a safety snapshot's name (UTC, to the second): when it was taken. */
function nameTime(name: string): Date {
  const [day, time] = name.slice("safety_".length, "safety_".length + 19).split("_") as [string, string];
  return new Date(`${day}T${time.replaceAll("-", ":")}Z`);
}

/** Every safety snapshot, newest first, with what it records of itself. */
export function listSafetySnapshots(): SafetySnapshot[] {
  const dir = snapshotsDir();
  if (!fs.existsSync(dir)) return [];
  return (
    fs
      .readdirSync(dir)
      .filter((name) => SAFETY_NAME.test(name))
      .map((name) => {
        const file = path.join(dir, name);
        const info = readSnapshotInfoOf(file);
        // Never the mtime: a copied or restored folder gives every file the same one.
        const createdAt = info?.takenAt ? new Date(info.takenAt) : nameTime(name);
        return {
          name,
          file,
          bytes: fs.statSync(file).size,
          createdAt,
          purpose: info?.purpose ?? null,
          counts: info?.counts ?? null,
        };
      })
      // Newest first by the time taken (milliseconds): names carry whole seconds only, and two
      // snapshots of one second (a restore, then its roll back) would otherwise sort by their random suffix.
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.name.localeCompare(a.name))
  );
}

const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The snapshots pruning removes (see SAFETY_SNAPSHOTS_KEPT): all but the newest few, the oldest
 * of each of the last days, and `protect` (the one a roll back read from).
 */
export function snapshotsToPrune<T extends SnapshotInfo>(all: T[], protect?: string, now = new Date()): T[] {
  const newestFirst = [...all].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const kept = new Set<T>(newestFirst.slice(0, SAFETY_SNAPSHOTS_KEPT));
  const firstDay = utcDay(new Date(now.getTime() - (SAFETY_SNAPSHOT_DAYS - 1) * 86_400_000));
  const oldestOfDay = new Map<string, T>();
  for (const s of newestFirst) if (utcDay(s.createdAt) >= firstDay) oldestOfDay.set(utcDay(s.createdAt), s);
  for (const s of oldestOfDay.values()) kept.add(s);
  return newestFirst.filter((s) => !kept.has(s) && s.file !== protect);
}

/** Prunes the safety snapshots (snapshotsToPrune); returns those it removed. */
export function pruneSafetySnapshots(protect?: string, now = new Date()): SafetySnapshot[] {
  const removed = snapshotsToPrune(listSafetySnapshots(), protect, now);
  for (const old of removed) removeSnapshotFile(old.file);
  return removed;
}

/** The safety snapshot with this exact name; refuses anything that is not one (no path tricks). */
export function safetySnapshotByName(name: string): SafetySnapshot | null {
  if (!SAFETY_NAME.test(name)) return null;
  return listSafetySnapshots().find((s) => s.name === name) ?? null;
}

/** A temporary snapshot for a download; the caller deletes it when sent. */
async function temporarySnapshot(): Promise<{ file: string; bytes: number }> {
  const file = path.join(dataDir(), "tmp", `download_${randomBytes(8).toString("hex")}.sqlite3`);
  return writeSnapshot(file);
}

/** The History's words for a snapshot download whose client went away before the last byte. */
export const SNAPSHOT_DOWNLOAD_INTERRUPTED = "The download was interrupted before it finished.";

/**
 * A snapshot taken for someone to download; the caller deletes the file once sent, and calls
 * `ended` then: the History entry follows the client, as an export's does (a download the
 * client gave up on is failed, not ok). A snapshot that cannot be made is in the History as
 * failed, and thrown.
 */
export async function snapshotForDownload(who: {
  source: AuditSource;
  actor: string;
}): Promise<{ file: string; name: string; bytes: number; ended(whole: boolean): Promise<void> }> {
  const startedAt = new Date();
  try {
    const snapshot = await temporarySnapshot();
    const name = backupFilename(startedAt, "sqlite3").replace("backup", "snapshot");
    const sha256 = await fileSha256(snapshot.file);
    const entry = { kind: "snapshot", ...who, startedAt } as const;
    const ended = (whole: boolean) =>
      recordAudit(
        whole
          ? {
              ...entry,
              result: "ok",
              bytes: snapshot.bytes,
              sha256,
              detail: JSON.stringify({ summary: name, file: name }),
            }
          : { ...entry, result: "failed", detail: SNAPSHOT_DOWNLOAD_INTERRUPTED },
      );
    return { ...snapshot, name, ended };
  } catch (error) {
    await recordAudit({ kind: "snapshot", ...who, startedAt, result: "failed", detail: (error as Error).message });
    throw error;
  }
}
