// Consistent copies of the live SQLite file, made with SQLite's online backup API (the
// same mechanism as `sqlite3 .backup`), never by copying a file that is being written.
// The copy runs on a thread of its own: a restore's safety snapshot is taken while the
// restore checks and loads the file, and a download's copy never stalls the server.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";

import { recordSnapshotInfo } from "@/lib/backup/snapshot-info";
import { databasePath, dataDir } from "@/lib/config";
import { NOT_LITESTREAM_TABLE } from "@/lib/db/litestream-tables";
import { sqliteDriverPath } from "@/lib/db/sqlite";

export const SAFETY_SNAPSHOTS_KEPT = 5;

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

const SAFETY_NAME = /^safety_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_[0-9a-f]{6}\.sqlite3$/;

export function listSafetySnapshots(): SnapshotInfo[] {
  const dir = snapshotsDir();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => SAFETY_NAME.test(name))
    .map((name) => {
      const file = path.join(dir, name);
      const stat = fs.statSync(file);
      return { name, file, bytes: stat.size, createdAt: stat.mtime };
    })
    .sort((a, b) => b.name.localeCompare(a.name));
}

/** Keeps SAFETY_SNAPSHOTS_KEPT in all: `protect`, when there, plus the newest of the others. */
export function pruneSafetySnapshots(protect?: string): void {
  const all = listSafetySnapshots();
  const others = all.filter((s) => s.file !== protect);
  const room = SAFETY_SNAPSHOTS_KEPT - (others.length < all.length ? 1 : 0);
  for (const old of others.slice(room)) fs.rmSync(old.file, { force: true });
}

/** The safety snapshot with this exact name; refuses anything that is not one (no path tricks). */
export function safetySnapshotByName(name: string): SnapshotInfo | null {
  if (!SAFETY_NAME.test(name)) return null;
  return listSafetySnapshots().find((s) => s.name === name) ?? null;
}

/** A temporary snapshot for a download; the caller deletes it when sent. */
export async function temporarySnapshot(): Promise<{ file: string; bytes: number }> {
  const file = path.join(dataDir(), "tmp", `download_${randomBytes(8).toString("hex")}.sqlite3`);
  return writeSnapshot(file);
}
