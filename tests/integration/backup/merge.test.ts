// Merge: the file's records whose id is new are added, nothing that exists changes; the
// same checks, one transaction, the same safety snapshot.
import { describe, expect, it } from "vitest";

import { BACKUP_LABELS } from "@/lib/backup/format/schema-model";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { listSafetySnapshots } from "@/lib/backup/snapshot";
import { prisma } from "@/lib/db/prisma";
import { withSqlite } from "@/lib/db/sqlite";
import { exportFile, exportText, mutated, records, writeTemp, type BackupDoc } from "@/tests/support/backup";
import { contentHash, seededDatabase, tableCounts } from "@/tests/support/db";
import { readDoc } from "@/tests/support/django";

describe("merging a backup", () => {
  it("adds only the records whose id is new, keeps every existing row as it was, and counts both", async () => {
    const file = await exportFile(seededDatabase(200, { activate: false, seed: 5 }));
    const target = seededDatabase(100, { seed: 1 });
    const before = JSON.parse(await exportText(target)) as BackupDoc;
    const result = await restoreBackup({ file, actor: "tester", source: "cli", merge: true, silent: true });
    expect(result.ok, JSON.stringify(result).slice(0, 600)).toBe(true);
    if (!result.ok) return;

    const after = JSON.parse(await exportText(target)) as BackupDoc;
    const incoming = readDoc(file);
    for (const label of BACKUP_LABELS) {
      const existing = new Map(records(before, label).map((r) => [r.pk, r]));
      const now = new Map(records(after, label).map((r) => [r.pk, r]));
      for (const [pk, record] of existing) expect(now.get(pk), `${label} pk ${pk}`).toEqual(record);
      const fresh = records(incoming, label).filter((r) => !existing.has(r.pk));
      for (const record of fresh) expect(now.get(record.pk), `${label} pk ${record.pk}`).toEqual(record);
      const outcome = result.models.find((m) => m.label === label)!;
      expect(outcome).toMatchObject({ added: fresh.length, skipped: records(incoming, label).length - fresh.length });
      expect(outcome.after).toBe(existing.size + fresh.length);
    }
    expect(result.models.find((m) => m.label === "calendarEditor.QueueEntry")).toMatchObject({
      added: 100,
      skipped: 100,
    });
    expect(listSafetySnapshots()).toHaveLength(1);
    withSqlite((db) => expect(db.pragma("foreign_key_check")).toEqual([]), target);
  });

  it("skips a new record that clashes with an existing one on a unique value", async () => {
    const source = seededDatabase(100, { activate: false, seed: 1 });
    const text = await exportText(source);
    const file = writeTemp(
      mutated(text, (doc) => {
        // A new id carrying the username user 1 has in the database (renamed in the file).
        const users = records(doc, "auth.User");
        users.push({ ...users[0]!, pk: 500 });
        users[0]!.fields = { ...users[0]!.fields, username: "renamed-in-the-file" };
      }),
    );
    const target = seededDatabase(100, { seed: 1 });
    const result = await restoreBackup({ file, actor: "tester", source: "cli", merge: true, silent: true });
    expect(result.ok, JSON.stringify(result).slice(0, 600)).toBe(true);
    if (!result.ok) return;
    expect(result.models.find((m) => m.label === "auth.User")).toMatchObject({ added: 0, skipped: 9 });
    expect(tableCounts(target)["auth.User"]).toBe(8);
  });

  it("adds the followed presets of a new preference, and leaves an existing preference's as they are", async () => {
    const target = seededDatabase(100, { seed: 1 });
    const followed = (pk: number) =>
      withSqlite(
        (db) => db.prepare('SELECT B FROM "_FollowedPresets" WHERE A = ? ORDER BY B').pluck().all(pk),
        target,
        { readonly: true },
      );
    const existingBefore = followed(1);
    const file = writeTemp(
      mutated(await exportText(target), (doc) => {
        const user = records(doc, "auth.User")[0]!;
        records(doc, "auth.User").push({ ...user, pk: 500, fields: { ...user.fields, username: "newcomer" } });
        const preferences = records(doc, "calendarEditor.NotificationPreference");
        preferences[0]!.fields.followed_presets = [4, 5, 6];
        preferences.push({
          ...preferences[0]!,
          pk: 500,
          fields: { ...preferences[0]!.fields, user: 500, followed_presets: [2, 3] },
        });
      }),
    );
    const result = await restoreBackup({ file, actor: "tester", source: "cli", merge: true, silent: true });
    expect(result.ok, JSON.stringify(result).slice(0, 600)).toBe(true);
    expect(followed(500)).toEqual([2, 3]);
    expect(followed(1)).toEqual(existingBefore);
  });

  it("refuses, changing nothing, a record that refers to a row in neither the file nor the database", async () => {
    const text = await exportText(seededDatabase(200, { activate: false, seed: 5 }));
    const file = writeTemp(
      mutated(text, (doc) => (records(doc, "calendarEditor.QueueEntry").at(-1)!.fields.user = 4242)),
    );
    const target = seededDatabase(100, { seed: 1 });
    const before = contentHash(target);
    const result = await restoreBackup({ file, actor: "tester", source: "cli", merge: true });
    expect(result).toMatchObject({ ok: false, stage: "validate" });
    if (result.ok) return;
    expect(result.report?.problems.join(" ")).toMatch(/user points to auth\.User pk 4242/);
    expect(contentHash(target)).toBe(before);
  });

  it("adds a record that refers to rows only the database holds; a full restore refuses the same file", async () => {
    const target = seededDatabase(100, { seed: 1 });
    // One new queue entry, pointing at a user and a machine that are in the database only.
    const file = writeTemp(
      mutated(await exportText(target), (doc) => {
        const entry = records(doc, "calendarEditor.QueueEntry")[0]!;
        for (const label of BACKUP_LABELS) doc.models[label] = [];
        doc.models["calendarEditor.QueueEntry"] = [{ ...entry, pk: 9001 }];
      }),
    );
    const phases = new Set<string>();
    const merged = await restoreBackup({
      file,
      actor: "tester",
      source: "cli",
      merge: true,
      label: "one-entry.json",
      onProgress: (phase) => phases.add(phase),
    });
    expect(merged.ok, JSON.stringify(merged).slice(0, 600)).toBe(true);
    expect(phases).toContain("checking and adding new records");
    expect(tableCounts(target)["calendarEditor.QueueEntry"]).toBe(101);
    const notice = await prisma().notification.findFirstOrThrow({ where: { title: "Database restored" } });
    expect(notice.message).toMatch(/^tester restored the database from one-entry\.json \(1 record\) at /);

    const before = contentHash(target);
    const full = await restoreBackup({ file, actor: "tester", source: "cli" });
    expect(full).toMatchObject({ ok: false, stage: "validate" });
    if (full.ok) return;
    expect(full.report?.problems.join(" ")).toMatch(/user points to auth\.User pk \d+/);
    expect(contentHash(target)).toBe(before);
  });
});
