// The one sentence a dry run sums a restore up in (the page, the confirm dialog, the CLI), and
// the per-model change table under it.
import { describe, expect, it } from "vitest";

import { BACKUP_LABELS } from "@/lib/backup/format/schema-model";
import { modelChanges, restoreSummary } from "@/lib/backup/restore/dry-run-summary";
import type { BackupReport } from "@/lib/backup/verify/verify";

const NOW = new Date("2026-12-01T12:00:00Z");

/** A checked file's report: only its counts and export date matter here. */
function report(counts: Record<string, number>, exportDate: string | null = "2025-11-22T12:00:00Z"): BackupReport {
  return { counts, exportDate } as BackupReport;
}

const ALL_ZERO = Object.fromEntries(BACKUP_LABELS.map((l) => [l, 0]));

describe("the restore summary", () => {
  it("says how many rows are replaced by how many, which models lose rows and which gain, and the backup's age", () => {
    const inFile = {
      ...ALL_ZERO,
      "auth.User": 4,
      "calendarEditor.QueueEntry": 1_200,
      "calendarEditor.Notification": 36,
    };
    const now = { ...ALL_ZERO, "auth.User": 5, "calendarEditor.QueueEntry": 1_100, "calendarEditor.Notification": 339 };
    expect(restoreSummary(report(inFile), now, NOW)).toBe(
      "Replaces 1,444 rows with 1,240 rows: 1 user fewer, 303 notifications fewer; 100 queue entries more. The backup was made 12 months ago.",
    );
  });

  it("names plurals the model's way: entries, presets, a single row", () => {
    const inFile = { ...ALL_ZERO, "calendarEditor.QueueEntry": 1 };
    const now = { ...ALL_ZERO, "calendarEditor.QueueEntry": 3, "calendarEditor.QueuePreset": 2 };
    expect(restoreSummary(report(inFile, null), now, NOW)).toBe(
      "Replaces 5 rows with 1 row: 2 queue presets fewer, 2 queue entries fewer.",
    );
  });

  it("names growth alone when nothing shrinks, says when nothing changes in number, and leaves out an unknown export date", () => {
    const same = { ...ALL_ZERO, "auth.User": 1 };
    expect(restoreSummary(report(same, null), same, NOW)).toBe("Replaces 1 row with 1 row, the same number of each.");
    expect(restoreSummary(report({ ...same, "auth.User": 2 }, null), same, NOW)).toBe(
      "Replaces 1 row with 2 rows: 1 user more.",
    );
  });

  it("treats a model the live database or the file does not count as empty", () => {
    expect(restoreSummary(report({}, null), { "auth.User": 2 }, NOW)).toBe(
      "Replaces 2 rows with 0 rows: 2 users fewer.",
    );
  });
});

describe("the per-model changes", () => {
  it("gives every model in restore order, with its name in words and the change in rows", () => {
    const changes = modelChanges(report({ ...ALL_ZERO, "calendarEditor.ArchivedMeasurement": 3 }), {
      "calendarEditor.ArchivedMeasurement": 5,
      "calendarEditor.NotificationPreference": 1,
    });
    expect(changes.map((c) => c.label)).toEqual(BACKUP_LABELS);
    expect(changes.find((c) => c.label === "calendarEditor.ArchivedMeasurement")).toEqual({
      label: "calendarEditor.ArchivedMeasurement",
      noun: { one: "archived measurement", many: "archived measurements" },
      inFile: 3,
      now: 5,
      change: -2,
    });
    expect(changes.find((c) => c.label === "calendarEditor.NotificationPreference")).toMatchObject({
      noun: { one: "notification preference", many: "notification preferences" },
      inFile: 0,
      now: 1,
      change: -1,
    });
    expect(changes.find((c) => c.label === "userRegistration.UserProfile")?.noun).toEqual({
      one: "user profile",
      many: "user profiles",
    });
  });
});
