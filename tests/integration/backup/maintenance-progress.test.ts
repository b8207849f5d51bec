// How often a restore's progress reaches the lock file readers poll, and a lock file a crash
// left half-written.
import fs from "node:fs";

import { describe, expect, it } from "vitest";

import { enterMaintenance, lockPath, readMaintenance } from "@/lib/backup/maintenance";
import { freshDatabase } from "@/tests/support/db";

describe("progress in the maintenance lock", () => {
  it("is written at most every 200 ms, except the step that completes a phase", async () => {
    freshDatabase();
    const lock = enterMaintenance("restore", "ada");
    try {
      lock.update("checking and loading records", 0.1);
      expect(readMaintenance()).toMatchObject({ phase: "checking and loading records", progress: 0.1 });
      lock.update("checking and loading records", 0.2);
      expect(readMaintenance()?.progress).toBe(0.1);
      lock.update("checking and loading records", 1);
      expect(readMaintenance()?.progress).toBe(1);
      await new Promise((r) => setTimeout(r, 250));
      lock.update("rebuilding indexes");
      expect(readMaintenance()).toMatchObject({ phase: "rebuilding indexes", progress: null });
    } finally {
      lock.release();
    }
  });
});

describe("a lock file that cannot be read", () => {
  it("counts as no lock; once it is older than a moment it is cleared, and the lock can be taken", () => {
    freshDatabase();
    enterMaintenance("restore", "ada").release();
    fs.writeFileSync(lockPath(), '{"pid": 12');
    expect(readMaintenance()).toBeNull();
    // Just written: maybe a process still writing it; it stays.
    expect(fs.existsSync(lockPath())).toBe(true);
    expect(() => enterMaintenance("restore", "bo")).toThrow("Could not take the maintenance lock.");
    const minuteAgo = new Date(Date.now() - 60_000);
    fs.utimesSync(lockPath(), minuteAgo, minuteAgo);
    expect(readMaintenance()).toBeNull();
    expect(fs.existsSync(lockPath())).toBe(false);
    enterMaintenance("restore", "bo").release();
  });
});
