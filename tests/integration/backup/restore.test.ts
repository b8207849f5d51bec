import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { restoreBeforeSnapshot } from "@/lib/backup/audit";
import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { enterMaintenance, readMaintenance } from "@/lib/backup/maintenance";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { listSafetySnapshots, SAFETY_SNAPSHOTS_KEPT, writeSnapshot } from "@/lib/backup/snapshot";
import { dataDir } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { withSqlite } from "@/lib/db/sqlite";
import { exportText, mutated, records, withoutRestoreNotices, writeTemp, type BackupDoc } from "@/tests/support/backup";
import { contentHash, seededDatabase, tableCounts, tempDir } from "@/tests/support/db";

describe("restoring a backup", () => {
  it("round-trips: seed → export → restore into another database → export gives the same records", async () => {
    const source = seededDatabase(300, { activate: false, seed: 1 });
    const original = JSON.parse(await exportText(source)) as BackupDoc;
    const target = seededDatabase(80, { seed: 9 });
    const schema = () =>
      withSqlite((db) => db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all(), target);
    const schemaBefore = schema();

    const result = await restoreBackup({ file: writeTemp(JSON.stringify(original)), actor: "tester", source: "cli" });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;

    const again = JSON.parse(await exportText(target)) as BackupDoc;
    expect(withoutRestoreNotices(again)).toEqual(original.models);
    // Indexes are dropped for the load and rebuilt from their own SQL.
    expect(schema()).toEqual(schemaBefore);
    const notices = records(again, "calendarEditor.Notification").filter((r) => r.fields.title === "Database restored");
    expect(notices.length).toBe(result.notified);
    expect(result.notified).toBeGreaterThan(0);
    expect(result.models.find((m) => m.label === "calendarEditor.QueueEntry")).toEqual({
      label: "calendarEditor.QueueEntry",
      before: 80,
      inBackup: 300,
      after: 300,
    });
    withSqlite((db) => {
      expect(db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'calendarEditor_queueentry'").pluck().get()).toBe(
        300,
      );
      expect(db.pragma("foreign_key_check")).toEqual([]);
    }, target);
  });

  it("points every id counter at the restored data's highest id, also when the backup holds fewer rows", async () => {
    const file = writeTemp(await exportText(seededDatabase(30, { activate: false, seed: 5 })));
    const target = seededDatabase(300, { seed: 6 });
    const result = await restoreBackup({ file, actor: "tester", source: "cli", silent: true });
    expect(result.ok, JSON.stringify(result).slice(0, 300)).toBe(true);
    withSqlite((db) => {
      for (const model of BACKUP_MODELS) {
        const highest = db.prepare(`SELECT MAX(id) FROM "${model.table}"`).pluck().get() as number | null;
        const counter = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?").pluck().get(model.table);
        expect(counter, model.label).toBe(highest ?? undefined);
      }
    }, target);
    // So the next queue entry follows on from the backup's, not from the replaced data's 300.
    const entry = await prisma().queueEntry.create({
      data: { userId: 1, title: "after the restore", requiredMinTemp: 0.01, estimatedDurationHours: 2 },
    });
    expect(entry.id).toBe(31);
  });

  it("reports its progress in order, from checking the file to done, each fraction between 0 and 1", async () => {
    const file = writeTemp(await exportText(seededDatabase(60, { activate: false, seed: 3 })));
    seededDatabase(30, { seed: 4 });
    const seen: [string, number][] = [];
    const result = await restoreBackup({
      file,
      actor: "tester",
      source: "cli",
      onProgress: (phase, fraction) => seen.push([phase, fraction]),
    });
    expect(result.ok).toBe(true);
    const phases = seen.map(([phase]) => phase).filter((p, i, all) => p !== all[i - 1]);
    expect(phases).toEqual([
      "checking and loading records",
      "rebuilding indexes",
      "checking foreign keys",
      "checking database integrity",
      "taking a safety snapshot",
      "done",
    ]);
    const fractions = seen.map(([, fraction]) => fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    // Reading, checking and loading the file has the first 80 %.
    const loading = seen.filter(([phase]) => phase === "checking and loading records").map(([, f]) => f);
    expect(Math.max(...loading)).toBe(0.8);
  });

  it("moves the bar through the first 80 % while it loads a large file, not in one jump", async () => {
    const text = await exportText(seededDatabase(20, { activate: false, seed: 3 }));
    // One long description makes the file 9 MiB: the reader reports every 4 MiB it reads.
    const large = mutated(text, (doc) => {
      records(doc, "calendarEditor.QueueEntry")[0]!.fields.description = "measure ".repeat(9 * 131_072);
    });
    seededDatabase(20, { seed: 4 });
    const checking: number[] = [];
    const result = await restoreBackup({
      file: writeTemp(large),
      actor: "tester",
      source: "cli",
      silent: true,
      onProgress: (phase, fraction) => phase === "checking and loading records" && checking.push(fraction),
    });
    expect(result.ok, JSON.stringify(result).slice(0, 400)).toBe(true);
    expect(checking).toEqual([...checking].sort((a, b) => a - b));
    expect(checking.filter((f) => f > 0 && f < 0.8).length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...checking)).toBe(0.8);
  });

  it("rolls back completely when the file breaks off part-way through the load", async () => {
    const source = seededDatabase(200, { activate: false, seed: 4 });
    const text = await exportText(source);
    const target = seededDatabase(90, { seed: 5 });
    const before = contentHash(target);
    // The file ends where the fifth table's records begin: four tables are in when the load
    // meets the end (a boundary: neither before nor after it).
    const fifth = text.indexOf(`"${BACKUP_MODELS[4]!.label}": [`);
    expect(fifth).toBeGreaterThan(0);
    const result = await restoreBackup({ file: writeTemp(text.slice(0, fifth)), actor: "tester", source: "cli" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result).toMatchObject({
      stage: "validate",
      error: "The backup did not pass validation; nothing was changed.",
    });
    expect(result.report?.problems.join(" ")).toMatch(/truncated|incomplete|ends/i);
    expect(contentHash(target)).toBe(before);
    expect(readMaintenance()).toBeNull();
  });

  it("leaves nothing behind in the data folder but its safety snapshots, however it ends", async () => {
    const file = writeTemp(await exportText(seededDatabase(20, { activate: false })));
    const target = seededDatabase(20, { seed: 2 });
    const leftovers = () =>
      fs
        .readdirSync(dataDir(), { recursive: true })
        .map(String)
        .filter((name) => name !== "snapshots" && !/^snapshots\/safety_.*\.sqlite3$/.test(name));
    // The data folder does not exist yet: the first restore makes it.
    expect(fs.existsSync(dataDir())).toBe(false);
    expect((await restoreBackup({ file, actor: "tester", source: "cli", silent: true })).ok).toBe(true);
    expect(leftovers()).toEqual([]);
    const refused = await restoreBackup({ file: writeTemp("{}"), actor: "tester", source: "cli" });
    expect(refused.ok).toBe(false);
    withSqlite(
      (db) => db.exec("CREATE TRIGGER no_users BEFORE INSERT ON auth_user BEGIN SELECT RAISE(ABORT, 'no'); END"),
      target,
    );
    const failed = await restoreBackup({ file, actor: "tester", source: "cli" });
    expect(failed).toMatchObject({ ok: false, stage: "load" });
    expect(leftovers()).toEqual([]);
  });

  it("takes a safety snapshot of exactly the data it replaces, keeping the newest few", async () => {
    const file = writeTemp(await exportText(seededDatabase(30, { activate: false })));
    const target = seededDatabase(40, { seed: 6 });
    const before = contentHash(target);
    const first = await restoreBackup({ file, actor: "tester", source: "cli" });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const snapshot = listSafetySnapshots().find((s) => s.name === first.safetySnapshot)!;
    expect(contentHash(snapshot.file)).toBe(before);

    for (let i = 0; i < SAFETY_SNAPSHOTS_KEPT + 1; i++) {
      expect((await restoreBackup({ file, actor: "tester", source: "cli" })).ok).toBe(true);
    }
    // The newest five, and the day's first: the data as it was before the day's restores.
    const kept = listSafetySnapshots();
    expect(kept).toHaveLength(SAFETY_SNAPSHOTS_KEPT + 1);
    expect(kept.map((s) => s.name)).toContain(first.safetySnapshot);
  });

  it("rolls back to a safety snapshot through the same pipeline", async () => {
    const file = writeTemp(await exportText(seededDatabase(25, { activate: false, seed: 2 })));
    const target = seededDatabase(35, { seed: 3 });
    const restored = await restoreBackup({ file, actor: "tester", source: "cli", label: "other-lab.json" });
    if (!restored.ok) throw new Error(restored.error);
    const snapshot = listSafetySnapshots().find((s) => s.name === restored.safetySnapshot)!;
    // What the snapshot holds, in words, from the history of the restore that took it.
    expect(await restoreBeforeSnapshot(snapshot.name)).toMatch(
      /^before tester restored other-lab\.json on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/,
    );
    const back = await restoreBackup({ file: snapshot.file, actor: "tester", source: "ui", kind: "rollback" });
    expect(back.ok, JSON.stringify(back)).toBe(true);
    expect(tableCounts(target)["calendarEditor.QueueEntry"]).toBe(35);
  });

  it("restores a SQLite snapshot of another database", async () => {
    const other = seededDatabase(70, { activate: false, seed: 8 });
    const snapshot = path.join(tempDir(), "other.sqlite3");
    await writeSnapshot(snapshot, other);
    const target = seededDatabase(20, { seed: 1 });
    const result = await restoreBackup({ file: snapshot, actor: "tester", source: "cli" });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const restored = JSON.parse(await exportText(target)) as BackupDoc;
    const expected = JSON.parse(await exportText(other)) as BackupDoc;
    expect(withoutRestoreNotices(restored)).toEqual(expected.models);
  });

  it("refuses a second restore while one is running, and keeps the audit history", async () => {
    const file = writeTemp(await exportText(seededDatabase(20, { activate: false })));
    seededDatabase(20);
    await prisma().backupEvent.create({ data: { kind: "export", source: "api", actor: "earlier", result: "ok" } });
    const lock = enterMaintenance("restore", "someone else");
    try {
      const busy = await restoreBackup({ file, actor: "tester", source: "ui" });
      expect(busy).toMatchObject({
        ok: false,
        stage: "busy",
        error: expect.stringMatching(/someone else .* still running/),
      });
    } finally {
      lock.release();
    }
    expect((await restoreBackup({ file, actor: "tester", source: "ui" })).ok).toBe(true);
    const history = await prisma().backupEvent.findMany({ orderBy: { id: "asc" } });
    expect(history.map((h) => [h.actor, h.kind, h.result])).toEqual([
      ["earlier", "export", "ok"],
      ["tester", "restore", "ok"],
    ]);
  });

  it("notifies active staff whose preference is on, and nobody else", async () => {
    const target = seededDatabase(50);
    const doc = JSON.parse(await exportText(target)) as BackupDoc;
    const staff = records(doc, "auth.User")
      .filter((u) => u.fields.is_active && (u.fields.is_staff || u.fields.is_superuser))
      .map((u) => u.pk);
    const prefs = records(doc, "calendarEditor.NotificationPreference");
    const optedOut = staff[0]!;
    prefs.find((p) => p.fields.user === optedOut)!.fields.notify_database_restored = false;
    for (const p of prefs)
      if (p.fields.user !== optedOut && staff.includes(p.fields.user as number))
        p.fields.notify_database_restored = true;
    delete doc.integrity;
    doc.format_version = undefined;
    const result = await restoreBackup({ file: writeTemp(JSON.stringify(doc)), actor: "tester", source: "cli" });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const notified = await prisma().notification.findMany({
      where: { notificationType: "database_restored", message: { startsWith: "tester restored the database" } },
      select: { recipientId: true },
    });
    expect(notified.map((n) => n.recipientId).sort()).toEqual(staff.filter((s) => s !== optedOut).sort());
    const total = Object.values(doc.models).reduce((n, list) => n + (list as unknown[]).length, 0);
    const notice = await prisma().notification.findFirstOrThrow({
      where: { message: { startsWith: "tester restored the database" } },
    });
    expect(notice).toMatchObject({ title: "Database restored", isRead: false });
    expect(notice.message).toMatch(
      new RegExp(
        `^tester restored the database from backup\\.json \\(${total.toLocaleString("en-US")} records\\) at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC\\.$`,
      ),
    );
  });
});
