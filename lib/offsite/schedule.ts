// The in-app schedule: with BACKUP_PUSH_EVERY set (6h, 24h, …) the server pushes a backup to
// the S3 target on that cadence, so the data-loss window is hours without any outside
// scheduler. The next run is timed from the last push in the history, so a restart neither
// skips a run nor pushes twice; a lock file keeps it to one run at a time across processes;
// a run that would overlap a restore waits for it. Outcomes go to the history (and so to
// Manage Storage); failures are logged too.
import { readMaintenance, tryLock } from "@/lib/backup/maintenance";
import { pushEveryMs, s3Settings } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { pushBackup } from "@/lib/offsite/push";

/** How soon to look again when a restore or another process is busy. */
const BUSY_RETRY_MS = 60_000;
/** The earliest first run after start-up: let the server finish starting. */
const START_DELAY_MS = 5_000;
/** After a failed push: 2, 4, 8 … minutes, never later than the cadence would have tried. */
const FIRST_RETRY_MS = 2 * 60_000;

/**
 * When to try again after `failures` failed pushes in a row: a 24 h cadence must not leave a
 * 48 h gap because one push failed (a provider's bad minute, a full disk since cleared).
 */
export function retryDelayMs(failures: number, every: number): number {
  return Math.min(every, FIRST_RETRY_MS * 2 ** Math.min(failures - 1, 20));
}

const state = globalThis as unknown as {
  pushSchedule?: { timer: NodeJS.Timeout | null };
  /** Failed pushes in a row (this process). */
  pushFailures?: number;
};

/** When the last push succeeded; null when never, or when the last attempt failed (retry soon). */
async function lastPushAt(): Promise<Date | null> {
  const last = await prisma().backupEvent.findFirst({
    where: { kind: "push" },
    orderBy: { startedAt: "desc" },
    select: { startedAt: true, result: true },
  });
  return last?.result === "ok" ? last.startedAt : null;
}

/**
 * How long after start-up the first run is due: a cadence after the last push that succeeded,
 * at once (after START_DELAY_MS) when that is past, or when the last push failed or none was made.
 */
export async function firstRunDelayMs(every: number, now = Date.now()): Promise<number> {
  const last = await lastPushAt();
  return Math.max(START_DELAY_MS, last ? last.getTime() + every - now : 0);
}

/** The cadence in words, for the start-up line: "24 h", "30 min", "45 s". */
export function cadenceInWords(every: number): string {
  if (every >= 3_600_000) return `${every / 3_600_000} h`;
  return every >= 60_000 ? `${every / 60_000} min` : `${every / 1000} s`;
}

/** One scheduled run; returns when to look again (ms). */
export async function runScheduledPush(every: number): Promise<number> {
  if (readMaintenance()) {
    console.log("Scheduled backup push: a restore is running; trying again in a minute.");
    return Math.min(every, BUSY_RETRY_MS);
  }
  const lock = tryLock("push");
  if (!lock) return Math.min(every, BUSY_RETRY_MS);
  try {
    await pushBackup({
      source: "schedule",
      actor: "schedule",
      log: (line) => console.log(`Scheduled backup push: ${line}`),
    });
    state.pushFailures = 0;
    return every;
  } catch (error) {
    // pushBackup recorded the failure in the history; the server log gets it too.
    state.pushFailures = (state.pushFailures ?? 0) + 1;
    const retry = retryDelayMs(state.pushFailures, every);
    console.error(
      `Scheduled backup push failed: ${(error as Error).message} Trying again in ${Math.round(retry / 60_000)} min.`,
    );
    return retry;
  } finally {
    lock.release();
  }
}

export function startPushSchedule(): void {
  const every = pushEveryMs();
  if (!every || state.pushSchedule) return;
  if (!s3Settings()) {
    console.error("BACKUP_PUSH_EVERY is set but BACKUP_S3_URL is not: no backups will be pushed.");
    return;
  }
  const schedule = (state.pushSchedule = { timer: null as NodeJS.Timeout | null });
  const next = (ms: number) => {
    schedule.timer = setTimeout(() => void runScheduledPush(every).then(next, () => next(every)), ms);
    schedule.timer.unref();
  };
  void firstRunDelayMs(every).then(next, () => next(START_DELAY_MS));
  console.log(`Backups are pushed to s3://${s3Settings()!.bucket} every ${cadenceInWords(every)}.`);
}
