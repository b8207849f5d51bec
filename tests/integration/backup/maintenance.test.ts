// The maintenance lock and the named locks beside it: one holder at a time, crash-safe (a dead
// holder's lock is taken over), always released, progress visible to readers.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import {
  enterMaintenance,
  lockPath,
  MaintenanceBusyError,
  readMaintenance,
  tryLock,
  withMaintenance,
} from "@/lib/backup/maintenance";
import { dataDir } from "@/lib/config";
import { freshDatabase } from "@/tests/support/db";

/** The pid of a process that has already exited. */
function deadPid(): number {
  return Number(spawnSync("node", ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
}

function leaveLock(file: string, pid: number) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ pid, operation: "restore", actor: "crashed", startedAt: "x" }));
}

describe("the maintenance lock", () => {
  it("is held by one restore at a time and says who holds it; release frees it", () => {
    freshDatabase();
    expect(readMaintenance()).toBeNull();
    const lock = enterMaintenance("restore", "ada");
    expect(readMaintenance()).toMatchObject({
      pid: process.pid,
      operation: "restore",
      actor: "ada",
      phase: "starting",
    });
    expect(() => enterMaintenance("restore", "grace")).toThrow(MaintenanceBusyError);
    expect(() => enterMaintenance("restore", "grace")).toThrow(/restore started by ada .* still running/);
    lock.release();
    expect(readMaintenance()).toBeNull();
    expect(fs.existsSync(lockPath())).toBe(false);
    enterMaintenance("restore", "grace").release();
  });

  it("shows each phase and its progress to readers, and nothing more once released", () => {
    freshDatabase();
    const lock = enterMaintenance("restore", "ada");
    lock.update("loading records", 1);
    expect(readMaintenance()).toMatchObject({ phase: "loading records", progress: 1 });
    lock.release();
    lock.update("too late", 1);
    expect(readMaintenance()).toBeNull();
  });

  it("is taken over from a process that died holding it (a crash never leaves the app stuck)", () => {
    freshDatabase();
    leaveLock(lockPath(), deadPid());
    expect(readMaintenance()).toBeNull();
    leaveLock(lockPath(), deadPid());
    const lock = enterMaintenance("restore", "ada");
    expect(readMaintenance()).toMatchObject({ actor: "ada" });
    lock.release();
  });

  it("is released however the work ends", async () => {
    freshDatabase();
    await expect(
      withMaintenance("restore", "ada", async () => {
        expect(readMaintenance()).not.toBeNull();
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect(readMaintenance()).toBeNull();
    expect(await withMaintenance("restore", "ada", async () => 42)).toBe(42);
    expect(readMaintenance()).toBeNull();
  });
});

describe("a named lock (the push schedule's)", () => {
  it("has one holder while it lives, is free once released, and is taken over from a dead holder", () => {
    freshDatabase();
    const first = tryLock("push");
    expect(first).not.toBeNull();
    expect(tryLock("push")).toBeNull();
    first!.release();
    const second = tryLock("push");
    expect(second).not.toBeNull();
    second!.release();

    const file = path.join(dataDir(), "push.lock.json");
    leaveLock(file, deadPid());
    const third = tryLock("push");
    expect(third).not.toBeNull();
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toMatchObject({ pid: process.pid });
    third!.release();
    expect(fs.existsSync(file)).toBe(false);
  });
});
