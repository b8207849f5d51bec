// A SQLite file's age comes from its content, never its mtime: real files whose rows are old
// and whose mtime is fresh (as after an upload or a copy); our own snapshots carry the time they
// were taken inside, which a restore, an export and the counts never see.
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { reportLines } from "@/lib/backup/format/report-text";
import { restoreSummary } from "@/lib/backup/restore/dry-run-summary";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { writeSnapshot } from "@/lib/backup/snapshot";
import { SNAPSHOT_INFO_TABLE } from "@/lib/backup/snapshot-info";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { withSqlite, type Sqlite } from "@/lib/db/sqlite";
import { exportText } from "@/tests/support/backup";
import { contentHash, freshDatabase, seededDatabase, tableCounts, tempDir } from "@/tests/support/db";

const OLD = "2019-03-04T05:06:07.000+00:00";
const NEWEST = "2026-06-01T10:20:30.000+00:00";

/** Every datetime-looking column of every table, by its name and content: independent of the code under test. */
function datetimeColumns(db: Sqlite): { table: string; column: string }[] {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '\\_%' ESCAPE '\\'",
    )
    .pluck()
    .all() as string[];
  return tables.flatMap((table) =>
    (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[])
      .filter((c) => c.type.toUpperCase() === "DATETIME")
      .map((c) => ({ table, column: c.name })),
  );
}

/**
 * A copy of a seeded database made by another tool (a plain file copy), every time in it set
 * to 2019 but one row changed at NEWEST; a reminder due in the future and a training date people
 * entered later than NEWEST, which are not changes. Its mtime is now.
 */
function oldCopyWithFreshMtime(): string {
  const source = seededDatabase(30, { activate: false, seed: 5 });
  const file = path.join(tempDir(), "copied-by-hand.sqlite3");
  withSqlite((db) => {
    for (const { table, column } of datetimeColumns(db))
      db.prepare(`UPDATE "${table}" SET "${column}" = ? WHERE "${column}" IS NOT NULL`).run(OLD);
    db.prepare(
      "UPDATE calendarEditor_queueentry SET updated_at = ? WHERE id = (SELECT MAX(id) FROM calendarEditor_queueentry)",
    ).run(NEWEST);
    db.prepare(
      "UPDATE calendarEditor_queueentry SET reminder_due_at = '2027-01-01T00:00:00.000+00:00' WHERE id = (SELECT MIN(id) FROM calendarEditor_queueentry)",
    ).run();
    db.prepare(
      "UPDATE userRegistration_userprofile SET ln2_training_date = '2026-11-30T00:00:00.000+00:00' WHERE id = (SELECT MIN(id) FROM userRegistration_userprofile)",
    ).run();
    db.pragma("wal_checkpoint(TRUNCATE)");
  }, source);
  fs.copyFileSync(source, file);
  const now = new Date();
  fs.utimesSync(file, now, now);
  return file;
}

describe("a SQLite file's age", () => {
  it("is the newest change its rows record, not its fresh mtime", async () => {
    const file = oldCopyWithFreshMtime();
    const report = await verifyBackupFile(file);
    expect(report.ok, report.problems.join("\n")).toBe(true);
    expect(report.exportDate).toBe(new Date(NEWEST).toISOString());
    expect(report.madeFrom).toBe("newest-change");
    expect(reportLines(report)).toContain(`Newest change:   ${new Date(NEWEST).toISOString()}`);
    const summary = restoreSummary(report, {}, new Date("2026-06-11T10:20:30Z"));
    expect(summary).toMatch(/ The newest change in this file is 10 days ago\.$/);
  });

  it("of our own snapshot is the time it was taken, recorded inside, whatever its mtime says", async () => {
    const db = seededDatabase(20, { activate: false, seed: 9 });
    const out = path.join(tempDir(), "ours.sqlite3");
    const before = Date.now();
    const { takenAt } = await writeSnapshot(out, db);
    expect(takenAt.getTime()).toBeGreaterThanOrEqual(before);
    fs.utimesSync(out, new Date("2030-01-01T00:00:00Z"), new Date("2030-01-01T00:00:00Z"));
    const report = await verifyBackupFile(out);
    expect(report.ok).toBe(true);
    expect(report.madeFrom).toBe("snapshot-taken");
    expect(report.exportDate).toBe(takenAt.toISOString());
    expect(reportLines(report)).toContain(`Snapshot taken:  ${takenAt.toISOString()}`);
  });

  it("of our snapshot changed after it was taken is the later change its rows record", async () => {
    const db = seededDatabase(20, { activate: false, seed: 9 });
    const out = path.join(tempDir(), "edited.sqlite3");
    const { takenAt } = await writeSnapshot(out, db);
    const later = new Date(takenAt.getTime() + 60_000).toISOString().replace("Z", "+00:00");
    withSqlite((s) => s.prepare("UPDATE calendarEditor_machine SET updated_at = ? WHERE id = 1").run(later), out);
    const report = await verifyBackupFile(out);
    expect(report.madeFrom).toBe("newest-change");
    expect(report.exportDate).toBe(new Date(later).toISOString());
  });

  it("of a database without any change recorded is when its tables were set up", async () => {
    const file = freshDatabase({ activate: false });
    const migrated = withSqlite(
      (db) => db.prepare("SELECT MAX(finished_at) FROM _prisma_migrations").pluck().get() as string,
      file,
      { readonly: true },
    );
    const report = await verifyBackupFile(file);
    expect(report.ok).toBe(true);
    expect(report.madeFrom).toBe("schema-migration");
    expect(report.exportDate).toBe(new Date(migrated).toISOString());
  });

  it("of a JSON backup is its export time", async () => {
    const file = path.join(tempDir(), "backup.json");
    fs.writeFileSync(file, await exportText(seededDatabase(5, { activate: false })));
    const report = await verifyBackupFile(file);
    expect(report.madeFrom).toBe("export");
  });
});

describe("the time a snapshot records inside", () => {
  it("is in no count, no export and no restore: restoring the snapshot gives exactly the data it copied", async () => {
    const source = seededDatabase(25, { activate: false, seed: 12 });
    const out = path.join(tempDir(), "ours.sqlite3");
    await writeSnapshot(out, source);
    const tables = withSqlite(
      (db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[],
      out,
      { readonly: true },
    );
    expect(tables).toContain(SNAPSHOT_INFO_TABLE);

    const report = await verifyBackupFile(out);
    expect(report.counts).toEqual(tableCounts(source));
    expect(Object.keys(report.counts).some((label) => label.includes("snapshot"))).toBe(false);

    const target = seededDatabase(40, { seed: 3 });
    const restored = await restoreBackup({ file: out, actor: "tester", source: "cli", silent: true });
    expect(restored.ok, JSON.stringify(restored)).toBe(true);
    expect(contentHash(target)).toBe(contentHash(source));
    const liveTables = withSqlite(
      (db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[],
      target,
      { readonly: true },
    );
    expect(liveTables).not.toContain(SNAPSHOT_INFO_TABLE);
    // The export of the restored database names only the app's models.
    expect(await exportText(target)).not.toContain(SNAPSHOT_INFO_TABLE);
  });

  it("leaves the snapshot a single file (no journal beside it)", async () => {
    const source = seededDatabase(5, { activate: false });
    const dir = tempDir();
    await writeSnapshot(path.join(dir, "one.sqlite3"), source);
    expect(fs.readdirSync(dir)).toEqual(["one.sqlite3"]);
  });
});
