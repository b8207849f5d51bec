// Safety snapshots say what they are (what they were taken before, when, the rows they hold),
// from what they record inside, not from their file times; pruning keeps the newest few and
// the first of each of the last 7 days, and says what it removed.
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { countsInWords, safetySnapshotRows } from "@/lib/admin/safety-snapshots";
import { recentAudit } from "@/lib/backup/audit";
import { restoreBackup } from "@/lib/backup/restore/restore";
import {
  listSafetySnapshots,
  SAFETY_SNAPSHOT_DAYS,
  SAFETY_SNAPSHOTS_KEPT,
  snapshotsDir,
  snapshotsToPrune,
  type SnapshotInfo,
} from "@/lib/backup/snapshot";
import { describePurpose } from "@/lib/backup/snapshot-info";
import { exportFile } from "@/tests/support/backup";
import { seededDatabase, tableCounts } from "@/tests/support/db";

const DJANGO_FILE = "tests/fixtures/django-real/database_backup_2026-02-12_07-32-28.json";

describe("a safety snapshot says what it is", () => {
  it("before a merge: the file, the kind and who; the rows it holds; the time it was taken, not its mtime", async () => {
    const file = await exportFile(seededDatabase(10, { activate: false, seed: 4 }), "lab.json");
    const target = seededDatabase(20, { seed: 6 });
    const before = tableCounts(target);
    const started = Date.now();
    const result = await restoreBackup({ file, actor: "ada", source: "ui", label: "lab.json", merge: true });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const [snapshot] = listSafetySnapshots();
    expect(describePurpose(snapshot!.purpose!)).toBe("before restoring lab.json (merge, by ada)");
    expect(snapshot!.counts).toEqual(before);
    expect(snapshot!.createdAt.getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(snapshot!.createdAt.getTime()).toBeLessThanOrEqual(Date.now());

    // Copied folders give every file one mtime: the list does not change.
    fs.utimesSync(snapshot!.file, new Date("2001-01-01T00:00:00Z"), new Date("2001-01-01T00:00:00Z"));
    const [row] = await safetySnapshotRows();
    expect(row).toMatchObject({
      name: snapshot!.name,
      takenAt: snapshot!.createdAt.toISOString(),
      about: "before restoring lab.json (merge, by ada)",
      holds: countsInWords(before),
    });
    expect(row!.holds).toMatch(/^[\d,]+ rows: \d+ users, \d+ user profiles, \d+ machines, /);
  });

  it("before a roll back: the snapshot it returned to, by its time", async () => {
    const file = await exportFile(seededDatabase(10, { activate: false, seed: 4 }), "lab.json");
    seededDatabase(20, { seed: 6 });
    const restored = await restoreBackup({ file, actor: "ada", source: "cli", silent: true });
    if (!restored.ok) throw new Error(restored.error);
    const first = listSafetySnapshots()[0]!;
    const back = await restoreBackup({ file: first.file, actor: "bob", source: "ui", kind: "rollback" });
    expect(back.ok).toBe(true);
    const newest = listSafetySnapshots()[0]!;
    expect(newest.name).not.toBe(first.name);
    const minute = first.createdAt.toISOString().slice(0, 16).replace("T", " ");
    expect(describePurpose(newest.purpose!)).toBe(
      `before rolling back to the safety snapshot of ${minute} UTC (by bob)`,
    );
    expect(describePurpose(first.purpose!)).toBe(`before restoring ${path.basename(file)} (silent, by ada)`);
  });

  it("before moving in from the original app: a migration", async () => {
    seededDatabase(10, { seed: 2 });
    const result = await restoreBackup({ file: DJANGO_FILE, actor: "ada", source: "cli", acceptLoss: true });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(describePurpose(listSafetySnapshots()[0]!.purpose!)).toBe(
      `before migration from the original app: restoring ${path.basename(DJANGO_FILE)} (by ada)`,
    );
  });
});

/** A snapshot taken at `iso` (only the fields pruning reads). */
const taken = (iso: string): SnapshotInfo => ({
  name: `safety_${iso}`,
  file: `/snapshots/${iso}`,
  bytes: 1,
  createdAt: new Date(iso),
});

describe("pruning safety snapshots", () => {
  const now = new Date("2026-12-10T12:00:00Z");

  it("keeps the newest five and the first of each of the last 7 days, and removes the rest", () => {
    const all = [
      // 10 December (today): six, so the newest five and the day's first are all kept.
      ...["08:00", "09:00", "09:30", "10:00", "10:30", "11:00"].map((t) => taken(`2026-12-10T${t}:00.000Z`)),
      // 8 December: three; only the first is kept.
      taken("2026-12-08T07:00:00.000Z"),
      taken("2026-12-08T09:00:00.000Z"),
      taken("2026-12-08T18:00:00.000Z"),
      // 4 December is the 7th day back: its first is kept.
      taken("2026-12-04T10:00:00.000Z"),
      taken("2026-12-04T11:00:00.000Z"),
      // 3 December is older than 7 days: removed.
      taken("2026-12-03T10:00:00.000Z"),
    ];
    const removed = snapshotsToPrune(all, undefined, now).map((s) => s.createdAt.toISOString());
    expect(removed).toEqual([
      "2026-12-08T18:00:00.000Z",
      "2026-12-08T09:00:00.000Z",
      "2026-12-04T11:00:00.000Z",
      "2026-12-03T10:00:00.000Z",
    ]);
    expect(SAFETY_SNAPSHOTS_KEPT).toBe(5);
    expect(SAFETY_SNAPSHOT_DAYS).toBe(7);
  });

  it("never removes the snapshot a roll back read from, nor the newest five however old", () => {
    const all = ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05", "2026-01-06", "2026-01-07"].map(
      (d) => taken(`${d}T10:00:00.000Z`),
    );
    const removed = snapshotsToPrune(all, "/snapshots/2026-01-01T10:00:00.000Z", now).map((s) =>
      s.createdAt.toISOString(),
    );
    expect(removed).toEqual(["2026-01-02T10:00:00.000Z"]);
  });

  it("says what it removed, in the outcome and in the History", async () => {
    const file = await exportFile(seededDatabase(5, { activate: false, seed: 4 }), "lab.json");
    seededDatabase(8, { seed: 6 });
    // Seven restores today: the day's first and the newest five stay; the second goes.
    const results = [];
    for (let i = 0; i < SAFETY_SNAPSHOTS_KEPT + 2; i++)
      results.push(await restoreBackup({ file, actor: "ada", source: "cli", label: `run-${i}.json` }));
    const last = results.at(-1)!;
    if (!last.ok || !results[1]!.ok) throw new Error("a restore failed");
    const second = results[1]!.safetySnapshot;
    expect(last.pruned).toHaveLength(1);
    expect(last.pruned[0]).toMatch(
      new RegExp(
        `^before restoring run-1\\.json \\(by ada\\), taken \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC \\(${second}\\)$`,
      ),
    );
    expect(listSafetySnapshots().map((s) => s.name)).not.toContain(second);
    const [event] = await recentAudit(1);
    expect(JSON.parse(event!.detail).prunedSnapshots).toEqual(last.pruned);
  });

  it("a prune that fails after the restore committed is reported as such, never as a roll back", async () => {
    const file = await exportFile(seededDatabase(5, { activate: false, seed: 4 }), "lab.json");
    seededDatabase(8, { seed: 6 });
    // A real fault that stops even root: old "snapshots" that are non-empty folders, which
    // pruning cannot delete as files. The newest five stay; the two oldest are pruned.
    for (let day = 1; day <= SAFETY_SNAPSHOTS_KEPT + 1; day++) {
      const folder = path.join(snapshotsDir(), `safety_2020-01-0${day}_10-00-00_00000${day}.sqlite3`);
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, "keep"), "x");
    }
    const result = await restoreBackup({ file, actor: "ada", source: "cli", label: "lab.json" });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.pruneProblem).toMatch(/^Older safety snapshots could not be pruned/);
    expect(result.pruned).toEqual([]);
    // The restore stands, and so does its own safety snapshot.
    expect(listSafetySnapshots().map((s) => s.name)).toContain(result.safetySnapshot);
    const [event] = await recentAudit(1);
    expect(event!.result).toBe("ok");
    expect(event!.detail).not.toMatch(/rolled back/);
    expect(JSON.parse(event!.detail).pruneProblem).toMatch(/could not be pruned/);
  });
});
