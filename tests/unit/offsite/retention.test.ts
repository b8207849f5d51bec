// Which off-site backups a push deletes (lib/offsite/retention.ts): never the newest, never one
// younger than 48 hours, and never more than the policy says; the newest of each of the last
// `daily` days and of the last `weekly` Sundays (UTC) stay. Deleting is the one thing a push
// cannot undo, so each boundary is checked on its own.
import { describe, expect, it } from "vitest";

import { KEEP_ALL_YOUNGER_THAN_MS, planRetention } from "@/lib/offsite/retention";
import type { OffsiteBackup } from "@/lib/offsite/targets/target";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function backup(iso: string): OffsiteBackup {
  const date = new Date(iso);
  const stamp = date.toISOString().slice(0, 19).replace("T", "_").replaceAll(":", "-");
  const name = `database_backup_${stamp}.json.gz`;
  return { target: "s3", key: `queue/${name}`, name, bytes: 100, date, sha256: null, verified: true };
}

const isoOf = (backups: OffsiteBackup[]) => backups.map((b) => b.date.toISOString());

/** One backup a day at `hour` UTC, from `first` for `days` days, in the order given (oldest first). */
function daily(first: string, days: number, hour = "03:00"): OffsiteBackup[] {
  const start = new Date(`${first}T${hour}:00Z`).getTime();
  return Array.from({ length: days }, (_, i) => backup(new Date(start + i * DAY).toISOString()));
}

describe("retention of off-site backups", () => {
  it("keeps the newest backup of each of the last `daily` days and deletes the older days", () => {
    // 2026-11-01 is a Sunday; no weekly keep, so only the daily rule and the 48 hours apply.
    const backups = daily("2026-11-02", 6); // Mon 2 … Sat 7
    const now = new Date("2026-11-10T12:00:00Z");
    const plan = planRetention(backups, { daily: 3, weekly: 0 }, now);
    expect(isoOf(plan.keep)).toEqual([
      "2026-11-07T03:00:00.000Z",
      "2026-11-06T03:00:00.000Z",
      "2026-11-05T03:00:00.000Z",
    ]);
    expect(isoOf(plan.remove)).toEqual([
      "2026-11-04T03:00:00.000Z",
      "2026-11-03T03:00:00.000Z",
      "2026-11-02T03:00:00.000Z",
    ]);
  });

  it("keeps the newest of a day's several backups, not the first, and deletes the rest of that day", () => {
    const backups = [
      backup("2026-11-03T09:00:00Z"),
      backup("2026-11-03T21:00:00Z"),
      backup("2026-11-03T15:00:00Z"),
      backup("2026-11-04T01:00:00Z"),
      backup("2026-11-04T00:30:00Z"),
    ];
    const plan = planRetention(backups, { daily: 2, weekly: 0 }, new Date("2026-11-20T00:00:00Z"));
    expect(isoOf(plan.keep)).toEqual(["2026-11-04T01:00:00.000Z", "2026-11-03T21:00:00.000Z"]);
    expect(isoOf(plan.remove)).toEqual([
      "2026-11-04T00:30:00.000Z",
      "2026-11-03T15:00:00.000Z",
      "2026-11-03T09:00:00.000Z",
    ]);
  });

  it("counts days that have a backup, not calendar days: a week without pushes costs no kept backup", () => {
    const backups = [backup("2026-10-01T03:00:00Z"), backup("2026-10-02T03:00:00Z"), backup("2026-10-20T03:00:00Z")];
    const plan = planRetention(backups, { daily: 2, weekly: 0 }, new Date("2026-11-20T00:00:00Z"));
    expect(isoOf(plan.keep)).toEqual(["2026-10-20T03:00:00.000Z", "2026-10-02T03:00:00.000Z"]);
    expect(isoOf(plan.remove)).toEqual(["2026-10-01T03:00:00.000Z"]);
  });

  it("never deletes a backup younger than 48 hours; one exactly 48 hours old may go", () => {
    const now = new Date("2026-11-10T12:00:00Z");
    const at = (msAgo: number) => backup(new Date(now.getTime() - msAgo).toISOString());
    const newest = at(HOUR);
    const justYounger = at(KEEP_ALL_YOUNGER_THAN_MS - 1000); // same day as the one below: not the day's newest
    const exactly = at(KEEP_ALL_YOUNGER_THAN_MS);
    const older = at(KEEP_ALL_YOUNGER_THAN_MS + 1000);
    expect(KEEP_ALL_YOUNGER_THAN_MS).toBe(48 * HOUR);
    // Names carry whole seconds, so the offsets above are in seconds too.
    const plan = planRetention([older, exactly, justYounger, newest], { daily: 1, weekly: 0 }, now);
    expect(plan.keep).toEqual([newest, justYounger]);
    expect(plan.remove).toEqual([exactly, older]);
  });

  it("judges the 48 hours against the time it is given, not the clock", () => {
    const backups = [backup("2026-11-09T10:00:00Z"), backup("2026-11-09T11:00:00Z"), backup("2026-11-10T11:00:00Z")];
    const plan = planRetention(backups, { daily: 1, weekly: 0 }, new Date("2026-11-10T12:00:00Z"));
    expect(plan.remove).toEqual([]);
  });

  it("keeps the newest backup of each of the last `weekly` Sundays, by the UTC date, and deletes older Sundays", () => {
    const sundays = ["2026-10-11", "2026-10-18", "2026-10-25", "2026-11-01"].map((d) => backup(`${d}T23:30:00Z`));
    // Saturday 23:30 UTC is Sunday in Europe, but a Saturday in UTC: never kept as a Sunday.
    const saturday = backup("2026-10-31T23:30:00Z");
    // A Sunday's earlier backup is not the Sunday's newest.
    const earlySunday = backup("2026-11-01T06:00:00Z");
    const plan = planRetention(
      [...sundays, saturday, earlySunday],
      { daily: 0, weekly: 2 },
      new Date("2026-12-01T00:00:00Z"),
    );
    expect(isoOf(plan.keep)).toEqual(["2026-11-01T23:30:00.000Z", "2026-10-25T23:30:00.000Z"]);
    expect(isoOf(plan.remove)).toEqual([
      "2026-11-01T06:00:00.000Z",
      "2026-10-31T23:30:00.000Z",
      "2026-10-18T23:30:00.000Z",
      "2026-10-11T23:30:00.000Z",
    ]);
  });

  it("Sundays count from the newest, whether or not the daily keep already holds them", () => {
    // The last two Sundays are the 15th (a daily already) and the 8th: the 1st and 25 Oct go.
    const backups = [...daily("2026-10-25", 1), ...daily("2026-11-01", 1), ...daily("2026-11-03", 13)];
    const plan = planRetention(backups, { daily: 3, weekly: 2 }, new Date("2026-12-01T00:00:00Z"));
    expect(isoOf(plan.keep)).toEqual([
      "2026-11-15T03:00:00.000Z",
      "2026-11-14T03:00:00.000Z",
      "2026-11-13T03:00:00.000Z",
      "2026-11-08T03:00:00.000Z",
    ]);
    expect(plan.remove).toHaveLength(backups.length - 4);
    expect(isoOf(plan.remove)).toContain("2026-11-01T03:00:00.000Z");
  });

  it("always keeps the newest backup, even when the policy keeps nothing and it is weeks old", () => {
    const backups = daily("2026-10-01", 3);
    const plan = planRetention(backups, { daily: 0, weekly: 0 }, new Date("2026-12-01T00:00:00Z"));
    expect(isoOf(plan.keep)).toEqual(["2026-10-03T03:00:00.000Z"]);
    expect(isoOf(plan.remove)).toEqual(["2026-10-02T03:00:00.000Z", "2026-10-01T03:00:00.000Z"]);
  });

  it("plans nothing for an empty target", () => {
    expect(planRetention([], { daily: 14, weekly: 8 })).toEqual({ keep: [], remove: [] });
  });

  it("splits the listing into kept and deleted, every backup in exactly one, newest first, whatever the listing's order", () => {
    const backups = [...daily("2026-09-01", 40, "04:00"), ...daily("2026-09-01", 40, "16:00")].reverse();
    const shuffled = [...backups.filter((_, i) => i % 2), ...backups.filter((_, i) => !(i % 2))];
    const plan = planRetention(shuffled, { daily: 7, weekly: 3 }, new Date("2026-10-12T00:00:00Z"));
    expect(new Set([...plan.keep, ...plan.remove])).toEqual(new Set(backups));
    expect(plan.keep.length + plan.remove.length).toBe(backups.length);
    for (const list of [plan.keep, plan.remove]) {
      const times = list.map((b) => b.date.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
    // 7 days (4-10 Oct), the Sundays 4 Oct (a daily already), 27 and 20 Sep, and 10 Oct's early
    // backup, younger than 48 hours.
    expect(plan.keep).toHaveLength(7 + 2 + 1);
  });
});
