// The weekly replica check: the replica restored to a temporary file must hold exactly what
// the live database held at the same position. A replica that silently drifted, or that
// cannot be restored at all, is found on a quiet day, not on the day it is needed.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { recordAudit, type AuditSource } from "@/lib/backup/audit";
import { writeSnapshot } from "@/lib/backup/snapshot";
import { SNAPSHOT_INFO_TABLE } from "@/lib/backup/snapshot-info";
import { databasePath, dataDir, replicaSettings } from "@/lib/config";
import { NOT_LITESTREAM_TABLE } from "@/lib/db/litestream-tables";
import { quoteIdentifier } from "@/lib/db/quote-identifier";
import { withSqlite } from "@/lib/db/sqlite";
import { replicaCopy } from "@/lib/offsite/replica/source";
import { replicaGenerations, windowOf } from "@/lib/offsite/replica/status";

/**
 * Left out of the comparison like Litestream's tables: the audit history (the check writes to
 * it) and the made-time a snapshot records of itself (snapshot-info.ts), with their indexes
 * (by tbl_name: the made-time's table has an automatic one).
 */
const LEFT_OUT = `tbl_name NOT IN ('backup_event', 'sqlite_sequence', '${SNAPSHOT_INFO_TABLE}') AND tbl_name NOT LIKE 'sqlite_stat%'`;

/** SHA-256 of the schema and every row of every table (in rowid order) but the history and Litestream's. */
export function contentDigest(file: string): string {
  return withSqlite(
    (db) => {
      const hash = createHash("sha256");
      const where = `${NOT_LITESTREAM_TABLE} AND ${LEFT_OUT}`;
      hash.update(
        JSON.stringify(
          db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE ${where} ORDER BY name`).raw().all(),
        ),
      );
      const tables = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND ${where} ORDER BY name`)
        .pluck()
        .all() as string[];
      for (const table of tables) {
        hash.update(`\n${table}\n`);
        for (const row of db
          .prepare(`SELECT * FROM ${quoteIdentifier(table)} ORDER BY rowid`)
          .raw()
          .iterate()) {
          hash.update(JSON.stringify(row, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
        }
      }
      return hash.digest("hex");
    },
    file,
    { readonly: true },
  );
}

const walWrittenAt = (database: string) => {
  try {
    return fs.statSync(`${database}-wal`).mtimeMs;
  } catch {
    return 0;
  }
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ReplicaCheck {
  ok: boolean;
  detail: string;
}

/** Waits (up to `limitMs`) until the replica's newest change is at least as new as `since`. */
async function caughtUp(since: number, limitMs: number): Promise<boolean> {
  const settings = replicaSettings()!;
  for (const deadline = Date.now() + limitMs; Date.now() < deadline; await pause(500)) {
    const window = windowOf(await replicaGenerations(settings));
    // The replica's times are whole seconds.
    if (window && window.to.getTime() + 1000 >= since) return true;
  }
  return false;
}

/** One comparison; null when the live database changed meanwhile (try again). */
async function compareOnce(tmp: string, catchUpMs: number): Promise<ReplicaCheck | null> {
  const database = databasePath();
  const before = walWrittenAt(database);
  const live = path.join(tmp, "live.sqlite3");
  await writeSnapshot(live, database);
  if (!(await caughtUp(before, catchUpMs))) {
    return {
      ok: false,
      detail: `The replica did not catch up with the live database within ${catchUpMs / 1000} s.`,
    };
  }
  // Litestream ships every 100 ms; a second more covers the change the whole-second times hide.
  await pause(1500);
  const copy = await replicaCopy(undefined);
  try {
    if (walWrittenAt(database) !== before) return null;
    const [expected, found] = [contentDigest(live), contentDigest(copy)];
    return expected === found
      ? {
          ok: true,
          detail: `The replica restored to a temporary file matches the live database (SHA-256 ${found.slice(0, 12)}…).`,
        }
      : {
          ok: false,
          detail: `The replica restored to a temporary file differs from the live database (SHA-256 ${found.slice(0, 12)}… against ${expected.slice(0, 12)}…).`,
        };
  } finally {
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${copy}${suffix}`, { force: true });
  }
}

/**
 * Compares until an answer holds. The replica's times are whole seconds, so "caught up" can be
 * a moment early: a difference counts only when it is still there after pauses (a drifted
 * replica stays different); a live database that changed meanwhile is compared again.
 */
async function compareWhenSettled(tmp: string, catchUpMs: number): Promise<ReplicaCheck> {
  let differs: ReplicaCheck | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    const found = await compareOnce(tmp, catchUpMs);
    if (found && (found.ok || /did not catch up/.test(found.detail))) return found;
    if (found) differs = found;
    await pause(2000);
  }
  return (
    differs ?? { ok: false, detail: "The live database kept changing; no quiet moment to compare it with the replica." }
  );
}

/** Compares in a work folder of its own in the data folder (made if missing), removed afterwards. */
async function compareInWorkFolder(catchUpMs: number): Promise<ReplicaCheck> {
  fs.mkdirSync(dataDir(), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(dataDir(), "replica-check-"));
  try {
    return await compareWhenSettled(tmp, catchUpMs);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Restores the replica to a temporary file and compares it with the live database; the result goes to the History. */
export async function checkReplica(
  source: AuditSource = "schedule",
  actor = "replica check",
  { catchUpMs = 30_000 } = {},
): Promise<ReplicaCheck> {
  const startedAt = new Date();
  let result: ReplicaCheck;
  try {
    result = replicaSettings()
      ? await compareInWorkFolder(catchUpMs)
      : { ok: false, detail: "No continuous replica is configured (BACKUP_REPLICA_URL)." };
  } catch (error) {
    result = { ok: false, detail: `The replica could not be restored: ${(error as Error).message}` };
  }
  await recordAudit({
    kind: "replica-check",
    source,
    actor,
    startedAt,
    result: result.ok ? "ok" : "failed",
    detail: result.detail,
  });
  return result;
}

const WEEK_MS = 7 * 86_400_000;
/** The first check on a new server waits until the server has settled and Litestream has shipped a snapshot. */
const FIRST_CHECK_DELAY_MS = 10 * 60_000;
const schedule = globalThis as unknown as { replicaCheck?: NodeJS.Timeout };

async function lastCheckAt(): Promise<number | null> {
  const { prisma } = await import("@/lib/db/prisma");
  const last = await prisma().backupEvent.findFirst({
    where: { kind: "replica-check" },
    orderBy: { startedAt: "desc" },
    select: { startedAt: true },
  });
  return last?.startedAt.getTime() ?? null;
}

/**
 * How long after a start the first check is due: a week after the last one in the History (a
 * restart neither skips nor repeats one), never sooner than the settling delay.
 */
export async function firstCheckDelayMs(now = Date.now()): Promise<number> {
  try {
    const last = await lastCheckAt();
    return Math.max(FIRST_CHECK_DELAY_MS, last ? last + WEEK_MS - now : 0);
  } catch {
    return FIRST_CHECK_DELAY_MS;
  }
}

/** The weekly check, the first one timed from the last one in the History. */
export function startReplicaCheckSchedule(): void {
  if (!replicaSettings() || schedule.replicaCheck) return;
  const next = (ms: number) => {
    schedule.replicaCheck = setTimeout(() => {
      void checkReplica().then(
        (result) => console.log(`Weekly replica check: ${result.detail}`),
        (error: Error) => console.error(`Weekly replica check failed: ${error.message}`),
      );
      next(WEEK_MS);
    }, ms);
    schedule.replicaCheck.unref();
  };
  void firstCheckDelayMs().then(next);
}
