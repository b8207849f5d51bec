// The maintenance lock and the named locks beside it: one holder at a time, crash-safe (a dead
// holder's lock is taken over), always released, progress visible to readers.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { enterMaintenance, lockPath, MaintenanceBusyError, readMaintenance, tryLock } from "@/lib/backup/maintenance";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { dataDir } from "@/lib/config";
import { withSqlite } from "@/lib/db/sqlite";
import { exportText, writeTemp } from "@/tests/support/backup";
import { freshDatabase, seededDatabase } from "@/tests/support/db";

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

  it("is released however a restore ends: done, refused, or failed part-way", async () => {
    const file = writeTemp(await exportText(seededDatabase(20, { activate: false })));
    const target = seededDatabase(20, { seed: 2 });
    const restore = (backup: string) => restoreBackup({ file: backup, actor: "ada", source: "cli", silent: true });
    let held = false;
    const watched = await restoreBackup({
      file,
      actor: "ada",
      source: "cli",
      silent: true,
      onProgress: () => (held ||= readMaintenance()?.actor === "ada"),
    });
    expect(watched.ok).toBe(true);
    expect(held, "held while it ran").toBe(true);
    expect(readMaintenance()).toBeNull();
    expect((await restore(writeTemp("{}"))).ok).toBe(false);
    expect(readMaintenance()).toBeNull();
    withSqlite(
      (db) => db.exec("CREATE TRIGGER full BEFORE INSERT ON auth_user BEGIN SELECT RAISE(FAIL, 'disk full'); END"),
      target,
    );
    expect(await restore(file)).toMatchObject({ ok: false, stage: "load", error: expect.stringMatching(/disk full/) });
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
