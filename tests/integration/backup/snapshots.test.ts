// SQLite snapshots as restore sources: the refusals, with real damaged, foreign and
// out-of-date files, each leaving the database exactly as it was; and the safety snapshot a
// roll back reads from survives the pruning the roll back's own safety snapshot triggers.
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { restoreBackup } from "@/lib/backup/restore/restore";
import { listSafetySnapshots, SAFETY_SNAPSHOTS_KEPT, snapshotsDir, writeSafetySnapshot } from "@/lib/backup/snapshot";
import { recordSnapshotInfo } from "@/lib/backup/snapshot-info";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { withSqlite } from "@/lib/db/sqlite";
import { snapshotWith } from "@/tests/support/backup";
import { contentHash, seededDatabase, tempDir } from "@/tests/support/db";

async function expectRefused(file: string, problem: RegExp) {
  const target = seededDatabase(20, { seed: 2 });
  const before = contentHash(target);
  const report = await verifyBackupFile(file);
  expect(report.ok).toBe(false);
  expect(report.problems.join("\n")).toMatch(problem);
  const result = await restoreBackup({ file, actor: "tester", source: "cli" });
  expect(result.ok).toBe(false);
  expect(contentHash(target)).toBe(before);
}

describe("a SQLite snapshot that cannot be restored is refused, changing nothing", () => {
  it("control: an untouched snapshot verifies", async () => {
    expect((await verifyBackupFile(await snapshotWith(() => {}))).ok).toBe(true);
  });

  it("a damaged file (pages overwritten)", async () => {
    const file = await snapshotWith((f) => {
      const bytes = fs.readFileSync(f);
      const pageSize = bytes.readUInt16BE(16);
      bytes.fill(0xa5, pageSize * 3, pageSize * 6); // three pages of a table's b-tree
      fs.writeFileSync(f, bytes);
    });
    await expectRefused(file, /SQLite file is damaged|cannot be opened|malformed/);
  });

  it("a file with a SQLite header and nothing sound after it", async () => {
    const file = path.join(tempDir(), "header-only.sqlite3");
    fs.writeFileSync(file, Buffer.concat([Buffer.from("SQLite format 3\0"), Buffer.alloc(4000, 0x11)]));
    await expectRefused(file, /SQLite file (cannot be opened|is damaged)/);
  });

  it("another application's database", async () => {
    const file = path.join(tempDir(), "other-app.sqlite3");
    withSqlite((db) => db.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)"), file);
    await expectRefused(file, /not a snapshot of this app: it lacks the tables auth_user, \w+, \w+/);
  });

  it("a schema version this app does not know", async () => {
    const file = await snapshotWith((f) =>
      withSqlite(
        (db) =>
          db.exec(
            "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ('x', 'x', '29991231000000_from_the_future', 0, 1, 1)",
          ),
        f,
      ),
    );
    await expectRefused(
      file,
      /schema version 29991231000000_from_the_future, which this app does not know\. Restore it with the app version that made it\./,
    );
  });

  it("a snapshot that records no schema version at all", async () => {
    const file = await snapshotWith((f) => withSqlite((db) => db.exec("DELETE FROM _prisma_migrations"), f));
    await expectRefused(file, /schema version \(none\), which this app does not know/);
  });

  it("an older schema version", async () => {
    const file = await snapshotWith((f) =>
      withSqlite(
        (db) =>
          db.exec(
            "DELETE FROM _prisma_migrations WHERE migration_name = (SELECT MAX(migration_name) FROM _prisma_migrations)",
          ),
        f,
      ),
    );
    await expectRefused(file, /older schema version/);
  });
});

describe("rolling back to the oldest safety snapshot", () => {
  it("keeps that snapshot although pruning would remove it", async () => {
    seededDatabase(15, { seed: 5 });
    for (let i = 0; i < SAFETY_SNAPSHOTS_KEPT + 2; i++) {
      const made = await writeSafetySnapshot();
      // Older, distinct times (in the name and inside), so which one is oldest does not depend on the clock.
      const file = path.join(snapshotsDir(), `safety_2020-01-0${i + 1}_00-00-00_00000${i}.sqlite3`);
      fs.renameSync(made.file, file);
      recordSnapshotInfo(file, { takenAt: `2020-01-0${i + 1}T00:00:00.000Z` });
    }
    const oldest = listSafetySnapshots().at(-1)!;
    expect(oldest.name).toBe("safety_2020-01-01_00-00-00_000000.sqlite3");
    const result = await restoreBackup({ file: oldest.file, actor: "tester", source: "ui", kind: "rollback" });
    expect(result.ok).toBe(true);
    const names = listSafetySnapshots().map((s) => s.name);
    expect(names).toContain(oldest.name);
    // The roll back's own and the newest four of 2020 are the newest five; 2 and 3 January go.
    expect(names).toHaveLength(SAFETY_SNAPSHOTS_KEPT + 1);
    expect(names).not.toContain("safety_2020-01-02_00-00-00_000001.sqlite3");
    expect(names).not.toContain("safety_2020-01-03_00-00-00_000002.sqlite3");
  });
});
