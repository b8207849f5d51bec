// The in-app schedule's decisions, in this process against a real S3-protocol server (s3rver on
// loopback): when to try again after a failed push, waiting while a restore runs or another
// process pushes, and when the first run after a restart is due. tests/system/push-schedule
// runs the same schedule inside the built app on a cadence of seconds.
import fs from "node:fs";
import path from "node:path";

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { enterMaintenance, tryLock } from "@/lib/backup/maintenance";
import { dataDir } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { pushBackup } from "@/lib/offsite/push";
import { cadenceInWords, firstRunDelayMs, runScheduledPush } from "@/lib/offsite/schedule";
import { pushTarget } from "@/lib/offsite/targets";
import { seededDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { startS3, type RunningS3 } from "@/tests/support/s3";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let s3: RunningS3;
const changed: string[] = [];

function useS3(prefix: string, extra: Record<string, string> = {}) {
  const values = { ...s3.env(prefix), ...extra };
  changed.push(...Object.keys(values));
  setEnv(values);
}
const refusedCredentials = { AWS_ACCESS_KEY_ID: "NOT-THE-KEY", AWS_SECRET_ACCESS_KEY: "not-the-secret" };

const pushResults = async () =>
  (await prisma().backupEvent.findMany({ where: { kind: "push" }, orderBy: { id: "asc" } })).map((e) => e.result);
/** What the server log shows of the schedule. */
const logged = () => vi.mocked(console.log).mock.calls.map((call) => String(call[0]));
const pushLockHeld = () => fs.existsSync(path.join(dataDir(), "push.lock.json"));

beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
});
beforeEach(() => {
  seededDatabase(5);
  // The schedule reports to the server log; the outcomes checked here are in the History.
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  setEnv(Object.fromEntries(changed.splice(0).map((name) => [name, undefined])));
});

describe("a scheduled push", () => {
  it("that fails is tried again after 2, then 4 minutes; one that succeeds waits the cadence and starts the count again", async () => {
    useS3("retry");
    expect(await runScheduledPush(DAY)).toBe(DAY);
    useS3("retry", refusedCredentials);
    expect(await runScheduledPush(DAY)).toBe(2 * MINUTE);
    expect(await runScheduledPush(DAY)).toBe(4 * MINUTE);
    expect(pushLockHeld()).toBe(false);
    useS3("retry");
    expect(await runScheduledPush(DAY)).toBe(DAY);
    useS3("retry", refusedCredentials);
    expect(await runScheduledPush(DAY)).toBe(2 * MINUTE);
    expect(await pushResults()).toEqual(["ok", "failed", "failed", "ok", "failed"]);
    // In History as the schedule's, not a person's or the CLI's.
    const events = await prisma().backupEvent.findMany({ where: { kind: "push" } });
    expect(new Set(events.map((e) => `${e.source}/${e.actor}`))).toEqual(new Set(["schedule/schedule"]));
    expect(logged()).toContainEqual(expect.stringMatching(/^Scheduled backup push: Uploaded database_backup_/));
    expect(pushLockHeld()).toBe(false);
    expect(console.error).toHaveBeenLastCalledWith(
      expect.stringMatching(/^Scheduled backup push failed: .* Trying again in 2 min\.$/),
    );
  });

  it("that stores its copy but cannot delete old backups (an append-only key) waits the cadence: the copy counts", async () => {
    useS3("append-only", { BACKUP_KEEP_DAILY: "1", BACKUP_KEEP_WEEKLY: "0" });
    await pushBackup({ date: new Date(Date.now() - 5 * DAY) });
    s3.refuseDeletes(true);
    try {
      expect(await runScheduledPush(DAY)).toBe(DAY);
    } finally {
      s3.refuseDeletes(false);
    }
    expect(await pushResults()).toEqual(["ok", "ok"]);
    expect(await pushTarget().list()).toHaveLength(2);
    expect(logged()).toContainEqual(
      expect.stringMatching(
        /^Scheduled backup push: database_backup_\S+ is stored, but old backups were not deleted: Could not delete /,
      ),
    );
  });

  it("waits a minute, pushing nothing, while a restore runs, and goes ahead once it has finished", async () => {
    useS3("restore-running");
    const restore = enterMaintenance("restore", "ada");
    try {
      expect(await runScheduledPush(DAY)).toBe(MINUTE);
      expect(logged()).toEqual(["Scheduled backup push: a restore is running; trying again in a minute."]);
      // A cadence shorter than a minute is kept.
      expect(await runScheduledPush(30 * SECOND)).toBe(30 * SECOND);
    } finally {
      restore.release();
    }
    expect(await pushResults()).toEqual([]);
    expect(await pushTarget().list()).toEqual([]);
    expect(await runScheduledPush(DAY)).toBe(DAY);
    expect(await pushTarget().list()).toHaveLength(1);
  });

  it("waits a minute, pushing nothing, while another process holds the push lock (backup:push from the CLI)", async () => {
    useS3("locked");
    const other = tryLock("push")!;
    try {
      expect(await runScheduledPush(DAY)).toBe(MINUTE);
      expect(await runScheduledPush(30 * SECOND)).toBe(30 * SECOND);
      expect(pushLockHeld()).toBe(true);
    } finally {
      other.release();
    }
    expect(await pushResults()).toEqual([]);
    expect(await runScheduledPush(DAY)).toBe(DAY);
    expect(await pushResults()).toEqual(["ok"]);
  });
});

describe("after a restart, the first scheduled push", () => {
  const pushedHoursAgo = (hours: number, result: string, now: number) =>
    prisma().backupEvent.create({
      data: { kind: "push", source: "schedule", actor: "schedule", result, startedAt: new Date(now - hours * HOUR) },
    });

  it("is due a cadence after the last push that succeeded, or in 5 s when that is past, none was made, or the last failed", async () => {
    const now = Date.now();
    expect(await firstRunDelayMs(6 * HOUR, now)).toBe(5 * SECOND);
    await prisma().backupEvent.create({
      data: { kind: "export", source: "ui", actor: "ada", result: "ok", startedAt: new Date(now) },
    });
    expect(await firstRunDelayMs(6 * HOUR, now)).toBe(5 * SECOND);
    await pushedHoursAgo(8, "ok", now);
    expect(await firstRunDelayMs(6 * HOUR, now)).toBe(5 * SECOND);
    await pushedHoursAgo(1, "ok", now);
    expect(await firstRunDelayMs(6 * HOUR, now)).toBe(5 * HOUR);
    await pushedHoursAgo(0.5, "failed", now);
    expect(await firstRunDelayMs(6 * HOUR, now)).toBe(5 * SECOND);
  });

  it("is announced with its cadence in words", () => {
    expect([DAY, 6 * HOUR, HOUR, 90 * MINUTE, 30 * MINUTE, MINUTE, 45 * SECOND].map(cadenceInWords)).toEqual([
      "24 h",
      "6 h",
      "1 h",
      "1.5 h",
      "30 min",
      "1 min",
      "45 s",
    ]);
  });
});
