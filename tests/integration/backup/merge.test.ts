// Merge: the file's records that are not here yet are added (under a new id where a different
// record holds theirs), nothing that exists changes; the same checks, one transaction, the
// same safety snapshot. merge-keeps-references.test.ts judges what the references mean.
import { describe, expect, it } from "vitest";

import { BACKUP_LABELS } from "@/lib/backup/format/schema-model";
import { NOTHING_TO_MERGE, previewMerge } from "@/lib/backup/restore/merge-plan";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { listSafetySnapshots } from "@/lib/backup/snapshot";
import { prisma } from "@/lib/db/prisma";
import { withSqlite } from "@/lib/db/sqlite";
import { exportFile, exportText, mutated, records, writeTemp, type BackupDoc } from "@/tests/support/backup";
import { contentHash, seededDatabase, tableCounts } from "@/tests/support/db";
import { readDoc } from "@/tests/support/django";

describe("merging a backup", () => {
  it("adds what is new, brings a record whose id is taken by another in under a new id, and keeps every existing row", async () => {
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
      const outcome = result.models.find((m) => m.label === label)!;
      const { added = 0, conflicts = 0, present = 0 } = outcome;
      expect(added + conflicts + present, label).toBe(records(incoming, label).length);
      expect(outcome.after, label).toBe(existing.size + added + conflicts);
    }
    // Both generated labs name their twelve machines alike: the same machines, already here.
    expect(result.models.find((m) => m.label === "calendarEditor.Machine")).toMatchObject({ present: 12, added: 0 });
    // Another lab's queue entries 1–100 are not this lab's entries 1–100: new ids; 101–200 keep theirs.
    expect(result.models.find((m) => m.label === "calendarEditor.QueueEntry")).toMatchObject({
      added: 100,
      conflicts: 100,
      present: 0,
    });
    expect(listSafetySnapshots()).toHaveLength(1);
    withSqlite((db) => expect(db.pragma("foreign_key_check")).toEqual([]), target);
  });

  it("takes a user renamed in the file for someone else, and one with a known username under another id for that person", async () => {
    const target = seededDatabase(100, { seed: 1 });
    const original = records(JSON.parse(await exportText(target)) as BackupDoc, "auth.User")[0]!;
    const file = writeTemp(
      mutated(await exportText(target), (doc) => {
        // User 1's username now under id 500 (nothing refers to it), and user 1 renamed.
        const users = records(doc, "auth.User");
        users.push({ ...users[0]!, pk: 500 });
        users[0]!.fields = { ...users[0]!.fields, username: "renamed-in-the-file" };
      }),
    );
    const entriesOfUser1 = withSqlite(
      (db) => db.prepare("SELECT COUNT(*) FROM calendarEditor_queueentry WHERE user_id = 1").pluck().get() as number,
      target,
      { readonly: true },
    );
    const result = await restoreBackup({ file, actor: "tester", source: "cli", merge: true, silent: true });
    expect(result.ok, JSON.stringify(result).slice(0, 600)).toBe(true);
    if (!result.ok) return;
    expect(result.models.find((m) => m.label === "auth.User")).toMatchObject({ added: 0, conflicts: 1, present: 8 });
    // The renamed person comes in under a new id, with the entries the file says are theirs.
    const renamed = withSqlite(
      (db) => {
        const id = db
          .prepare("SELECT id FROM auth_user WHERE username = 'renamed-in-the-file'")
          .pluck()
          .get() as number;
        const entries = db.prepare("SELECT COUNT(*) FROM calendarEditor_queueentry WHERE user_id = ?").pluck().get(id);
        const first = db.prepare("SELECT username FROM auth_user WHERE id = 1").pluck().get();
        return { id, entries, first };
      },
      target,
      { readonly: true },
    );
    expect(renamed).toEqual({ id: 501, entries: entriesOfUser1, first: original.fields.username });
    expect(tableCounts(target)["auth.User"]).toBe(9);
  });

  it("adds the followed presets of a new preference, and adds the file's to an existing preference's, keeping its own", async () => {
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
    expect(followed(1)).toEqual([...new Set([...existingBefore, 4, 5, 6])].sort((a, b) => Number(a) - Number(b)));
  });

  it("does not offer a merge that would add nothing, and refuses one asked for anyway before any snapshot or notice", async () => {
    const target = seededDatabase(60, { seed: 2 });
    const file = await exportFile(target);
    const preview = await previewMerge(file);
    expect(preview.summary).toMatch(
      /^Adds nothing: all [\d,]+ records of this file are already here, so a merge would change nothing\.$/,
    );
    expect(preview.models.every((m) => m.added + m.conflicts + m.linked === 0)).toBe(true);

    const before = contentHash(target);
    const snapshots = listSafetySnapshots().map((s) => s.name);
    // As the browser's action asks: refused, the database (notices included) and the safety snapshots as they were.
    const result = await restoreBackup({ file, actor: "admin", source: "ui", merge: true, refuseEmptyMerge: true });
    expect(result).toMatchObject({ ok: false, stage: "validate", error: `${NOTHING_TO_MERGE} Nothing was changed.` });
    expect(contentHash(target)).toBe(before);
    expect(listSafetySnapshots().map((s) => s.name)).toEqual(snapshots);
    const history = await prisma().backupEvent.findFirst({ orderBy: { id: "desc" } });
    expect(history).toMatchObject({ result: "failed" });
    expect(history?.detail).toContain(`refused: ${NOTHING_TO_MERGE}`);

    // A script's merge of the same file stays a success that adds nothing (repeatable merges).
    const scripted = await restoreBackup({ file, actor: "tester", source: "cli", merge: true, silent: true });
    expect(scripted.ok).toBe(true);
    expect(contentHash(target)).toBe(before);
  });

  it("offers a merge that adds only links to records already here", async () => {
    const target = seededDatabase(60, { seed: 2 });
    const text = await exportText(target);
    // The database loses one followed preset the file still has: the merge would add that link back.
    const link = withSqlite(
      (db) => db.prepare('SELECT A, B FROM "_FollowedPresets" LIMIT 1').get() as { A: number; B: number } | undefined,
      target,
      { readonly: true },
    );
    expect(link, "the seeded lab follows a preset").toBeDefined();
    withSqlite(
      (db) => db.prepare('DELETE FROM "_FollowedPresets" WHERE A = ? AND B = ?').run(link!.A, link!.B),
      target,
    );
    const preview = await previewMerge(writeTemp(text));
    expect(preview.models.reduce((n, m) => n + m.linked, 0)).toBe(1);
    expect(preview.summary).toMatch(
      /^Adds 0 records; nothing that exists changes\..*gain the file's links they lack \(1 followed preset\)/,
    );
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
        doc.models["calendarEditor.QueueEntry"] = [
          { ...entry, pk: 9001, fields: { ...entry.fields, title: "Only in the file" } },
        ];
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
    expect(phases).toEqual(
      new Set([
        "comparing the file with the database",
        "adding new records",
        "checking foreign keys",
        "checking database integrity",
        "taking a safety snapshot",
        "done",
      ]),
    );
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

  it("rolls back, changing nothing, a merge after which the rows are not the rows before plus those added", async () => {
    const file = await exportFile(seededDatabase(60, { activate: false, seed: 5 }));
    const target = seededDatabase(40, { seed: 1 });
    // A trigger in the database that silently skips the notices' inserts (RAISE(IGNORE)).
    withSqlite(
      (db) =>
        db.exec(`CREATE TRIGGER skip_notices BEFORE INSERT ON calendarEditor_notification
                 BEGIN SELECT RAISE(IGNORE); END`),
      target,
    );
    const before = contentHash(target);
    const result = await restoreBackup({ file, actor: "tester", source: "cli", merge: true });
    expect(result).toMatchObject({ ok: false, stage: "check" });
    if (result.ok) return;
    expect(result.error).toMatch(
      /calendarEditor\.Notification holds [\d,]+ rows after the merge, but 80 \+ [\d,]+ added were expected/,
    );
    expect(contentHash(target)).toBe(before);
  });
});
