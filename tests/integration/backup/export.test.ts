import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import { createExport } from "@/lib/backup/export/export";
import { BACKUP_LABELS } from "@/lib/backup/format/schema-model";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { openSqlite } from "@/lib/db/sqlite";
import { expectedCounts, generateDataset } from "@/lib/seed/generate";
import { exportText, records, writeTemp, type BackupDoc } from "@/tests/support/backup";
import { damageLastTablePage, freshDatabase, seededDatabase } from "@/tests/support/db";

describe("complete-database export", () => {
  it("writes every seeded record back out exactly as generated, with every field type", async () => {
    const db = seededDatabase(300, { activate: false });
    const doc = JSON.parse(await exportText(db)) as BackupDoc;
    const exported = BACKUP_LABELS.flatMap((label) => records(doc, label));
    // The generator writes records as Django's serializer does, and so does the export.
    expect(exported).toEqual([...generateDataset(300)]);

    const entry = records(doc, "calendarEditor.QueueEntry")[0]!.fields;
    expect(typeof entry.is_rush_job).toBe("boolean");
    expect(entry.submitted_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    expect(typeof entry.user).toBe("number");
    const snapshot = records(doc, "calendarEditor.ArchivedMeasurement").find((r) => r.fields.preset_snapshot)!;
    expect(snapshot.fields.preset_snapshot).toMatchObject({ required_b_field: expect.any(Object) });
    const prefs = records(doc, "calendarEditor.NotificationPreference");
    expect(prefs.every((p) => Array.isArray(p.fields.followed_presets))).toBe(true);
  });

  it("declares its format, schema version, counts and digest, and verifies", async () => {
    const db = seededDatabase(200, { activate: false });
    const doc = JSON.parse(await exportText(db)) as BackupDoc;
    expect(Object.keys(doc)).toEqual([
      "export_date",
      "export_type",
      "format_version",
      "app",
      "schema_version",
      "django_version",
      "models",
      "integrity",
    ]);
    expect(doc.export_type).toBe("full_database_backup");
    expect(doc.format_version).toBe(1);
    expect(doc.django_version).toBeNull();
    expect(doc.schema_version).toMatch(/^\d{14}_/);
    expect(doc.integrity).toMatchObject({ complete: true, record_counts: expectedCounts(200), errors: {} });
    const report = await verifyBackupFile(writeTemp(JSON.stringify(doc)));
    expect(report).toMatchObject({ ok: true, digest: "verified", counts: expectedCounts(200) });
  });

  it.each([true, false])(
    "reports the size and SHA-256 of exactly the bytes it handed out (second thread: %s)",
    async (thread) => {
      // Small pages: many chunks, so a miscounted chunk shows.
      const backup = createExport({ file: seededDatabase(150, { activate: false }), pageSize: 7, thread });
      const chunks: Buffer[] = [];
      for await (const chunk of backup.chunks) chunks.push(chunk);
      const whole = Buffer.concat(chunks);
      const summary = await backup.summary;
      expect(chunks.length).toBeGreaterThan(1);
      expect(summary.bytes).toBe(whole.length);
      expect(summary.documentSha256).toBe(createHash("sha256").update(whole).digest("hex"));
      expect(summary).toMatchObject({ complete: true, counts: expectedCounts(150) });
    },
  );

  it("exports an empty database as a valid, restorable file", async () => {
    const db = freshDatabase({ activate: false });
    const report = await verifyBackupFile(writeTemp(await exportText(db)));
    expect(report.ok).toBe(true);
    expect(Object.values(report.counts).every((n) => n === 0)).toBe(true);
  });

  it("is one consistent snapshot while another connection writes during the export", async () => {
    const db = seededDatabase(400, { activate: false });
    const before = JSON.parse(await exportText(db)) as BackupDoc;

    const backup = createExport({ file: db, pageSize: 50 });
    const writer = openSqlite(db);
    let text = "";
    let wrote = false;
    for await (const chunk of backup.chunks) {
      text += chunk.toString("utf8");
      if (!wrote) {
        wrote = true;
        writer.exec(`
          DELETE FROM calendarEditor_notification WHERE id <= 100;
          UPDATE auth_user SET first_name = 'Changed' WHERE id = 1;
          INSERT INTO calendarEditor_machine (name, min_temp, max_temp, cooldown_hours, created_at, updated_at)
            VALUES ('Written during export', 0.01, 1, 24, '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.000+00:00');
        `);
      }
    }
    writer.close();
    const during = JSON.parse(text) as BackupDoc;
    expect(wrote).toBe(true);
    expect(during.integrity!.records_sha256).toBe(before.integrity!.records_sha256);
    expect(during.models).toEqual(before.models);
    const after = JSON.parse(await exportText(db)) as BackupDoc;
    expect(records(after, "calendarEditor.Machine")).toHaveLength(13);
  });

  it("writes the same document with its pages shared between two threads as on one", async () => {
    const db = seededDatabase(200, { activate: false });
    const shared = JSON.parse(await exportText(db, { pageSize: 7 })) as BackupDoc;
    const alone = JSON.parse(await exportText(db, { pageSize: 7, thread: false })) as BackupDoc;
    expect(shared.models).toEqual(alone.models);
    expect(shared.integrity).toEqual(alone.integrity);
    expect(records(shared, "calendarEditor.QueueEntry")).toHaveLength(200);
  });

  it.each([true, false])(
    "marks the file incomplete when a model's pages are damaged part-way, and verification refuses it (second thread: %s)",
    async (thread) => {
      const db = seededDatabase(300, { activate: false });
      // A failing disk: QueueEntry's first pages read, its last does not.
      damageLastTablePage(db, "calendarEditor_queueentry");
      const backup = createExport({ file: db, pageSize: 100, thread });
      let text = "";
      for await (const chunk of backup.chunks) text += chunk.toString("utf8");
      const summary = await backup.summary;
      expect(summary.complete).toBe(false);
      expect(summary.errors["calendarEditor.QueueEntry"]).toMatch(/stopped after [12]00 records: .*malformed/);
      expect(summary.counts["calendarEditor.QueueEntry"]).toBeGreaterThanOrEqual(100);
      expect(summary.counts["calendarEditor.QueueEntry"]).toBeLessThan(300);
      // The models after it are still written: one damaged table does not cost the rest.
      expect(summary.counts["calendarEditor.Notification"]).toBe(expectedCounts(300)["calendarEditor.Notification"]);
      const report = await verifyBackupFile(writeTemp(text));
      expect(report.ok).toBe(false);
      expect(report.problems.join("\n")).toMatch(/marked incomplete/);
    },
  );

  it("writes a model it cannot read at all as { error } and keeps going", async () => {
    const db = seededDatabase(100, { activate: false });
    const broken = openSqlite(db);
    broken.exec("DROP TABLE calendarEditor_notification");
    broken.close();
    const doc = JSON.parse(await exportText(db)) as BackupDoc;
    expect(doc.models["calendarEditor.Notification"]).toEqual({ error: expect.stringMatching(/no such table/) });
    expect(doc.integrity!.complete).toBe(false);
    expect(records(doc, "calendarEditor.QueueEntry")).toHaveLength(100);
  });
});
