// Consistent copies of the live SQLite file, made with SQLite's online backup API (the
// same mechanism as `sqlite3 .backup`), never by copying a file that is being written.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { databasePath, dataDir } from "@/lib/config";
import { openSqlite } from "@/lib/db/sqlite";

export const SAFETY_SNAPSHOTS_KEPT = 5;
const PAGES_PER_STEP = 16_384;

export interface SnapshotInfo {
  name: string;
  file: string;
  bytes: number;
  createdAt: Date;
}

/** Writes a snapshot of `source` to `out` (via `out.partial`, renamed when complete). */
export async function writeSnapshot(out: string, source = databasePath()): Promise<{ file: string; bytes: number }> {
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const partial = `${out}.partial`;
  const db = openSqlite(source, { readonly: true, mustExist: true });
  // Every page is copied once: caching them would only add memory.
  db.pragma("cache_size = -2048");
  try {
    await db.backup(partial, { progress: () => PAGES_PER_STEP });
    fs.renameSync(partial, out);
    return { file: out, bytes: fs.statSync(out).size };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
}

export function snapshotsDir(): string {
  return path.join(dataDir(), "snapshots");
}

function stamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", "_").replaceAll(":", "-");
}

/**
 * Safety snapshot before a restore; keeps the newest SAFETY_SNAPSHOTS_KEPT, and never
 * prunes `protect` (the snapshot a rollback is reading from).
 */
export async function takeSafetySnapshot(protect?: string): Promise<SnapshotInfo> {
  const createdAt = new Date();
  const name = `safety_${stamp(createdAt)}_${randomBytes(3).toString("hex")}.sqlite3`;
  const file = path.join(snapshotsDir(), name);
  const { bytes } = await writeSnapshot(file);
  pruneSafetySnapshots(protect);
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
function pruneSafetySnapshots(protect?: string): void {
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
