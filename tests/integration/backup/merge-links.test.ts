// A merge adds the file's many-to-many links of a record that is already here (a preference
// following presets), mapped to the ids the records have here, links to records the same
// merge adds included; no row changes, and a link the database has that the file lacks stays.
import { describe, expect, it } from "vitest";

import { previewMerge } from "@/lib/backup/restore/merge-plan";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { databasePath } from "@/lib/config";
import { withSqlite } from "@/lib/db/sqlite";
import { exportText, mutated, records, writeTemp, type BackupDoc } from "@/tests/support/backup";
import { contentHash, seededDatabase } from "@/tests/support/db";
import { judgeMerge } from "@/tests/support/merge-oracle";

const PREFERENCE = "calendarEditor.NotificationPreference";
const PRESET = "calendarEditor.QueuePreset";

const followed = (database: string, preference: number) =>
  withSqlite(
    (db) => db.prepare('SELECT B FROM "_FollowedPresets" WHERE A = ? ORDER BY B').pluck().all(preference) as number[],
    database,
    { readonly: true },
  );

describe("merging a backup into a database that already holds its preferences", () => {
  it("links a preference already here to the presets it follows in the file, a preset the merge adds included", async () => {
    const target = seededDatabase(100, { seed: 1 });
    const before = JSON.parse(await exportText(target)) as BackupDoc;
    const preference = records(before, PREFERENCE)[0]!;
    const kept = followed(target, preference.pk);
    const presets = records(before, PRESET);
    const unfollowed = presets.map((p) => p.pk).find((pk) => !kept.includes(pk))!;
    const fileDoc = mutated(await exportText(target), (doc) => {
      // A preset only the file has, its id taken here by nobody; the file's preference follows it
      // and one preset already here, and not the ones it follows here.
      const newPreset = {
        ...presets[0]!,
        pk: 9000,
        fields: { ...presets[0]!.fields, created_at: "2031-01-02T03:04:05Z" },
      };
      records(doc, PRESET).push(newPreset);
      const inFile = records(doc, PREFERENCE).find((p) => p.pk === preference.pk)!;
      inFile.fields.followed_presets = [unfollowed, 9000];
    });
    const file = writeTemp(fileDoc);

    const preview = await previewMerge(file, databasePath());
    expect(preview.models.find((m) => m.label === PREFERENCE)).toMatchObject({
      present: expect.any(Number),
      linked: 2,
    });
    expect(preview.summary).toMatch(/2 followed presets/);

    const result = await restoreBackup({ file, actor: "tester", source: "cli", merge: true, silent: true });
    expect(result.ok, JSON.stringify(result).slice(0, 600)).toBe(true);
    if (!result.ok) return;
    expect(result.models.find((m) => m.label === PREFERENCE)).toMatchObject({ added: 0, linked: 2 });
    expect(result.models.find((m) => m.label === PRESET)).toMatchObject({ added: 1 });
    expect(followed(target, preference.pk)).toEqual([...kept, unfollowed, 9000].sort((a, b) => a - b));

    const after = JSON.parse(await exportText(target)) as BackupDoc;
    const verdict = judgeMerge(before.models, (JSON.parse(fileDoc) as BackupDoc).models, after.models);
    expect(verdict.violations).toEqual([]);

    // The same file again links nothing more.
    const again = await restoreBackup({ file, actor: "tester", source: "cli", merge: true, silent: true });
    expect(again.ok && again.models.every((m) => !m.linked)).toBe(true);
  });

  it("rolls back, changing nothing, a merge after which the links are not the links before plus those added", async () => {
    const target = seededDatabase(40, { seed: 1 });
    const file = writeTemp(
      mutated(await exportText(target), (doc) => {
        const user = records(doc, "auth.User")[0]!;
        records(doc, "auth.User").push({ ...user, pk: 500, fields: { ...user.fields, username: "newcomer" } });
        const preferences = records(doc, PREFERENCE);
        preferences.push({
          ...preferences[0]!,
          pk: 500,
          fields: { ...preferences[0]!.fields, user: 500, followed_presets: [2, 3] },
        });
      }),
    );
    // A trigger in the database that silently skips every link insert (RAISE(IGNORE)).
    withSqlite(
      (db) => db.exec(`CREATE TRIGGER skip_links BEFORE INSERT ON "_FollowedPresets" BEGIN SELECT RAISE(IGNORE); END`),
      target,
    );
    const before = contentHash(target);
    const result = await restoreBackup({ file, actor: "tester", source: "cli", merge: true, silent: true });
    expect(result).toMatchObject({ ok: false, stage: "check" });
    if (result.ok) return;
    expect(result.error).toMatch(
      /_FollowedPresets holds [\d,]+ links after the merge, but [\d,]+ \+ 2 added were expected/,
    );
    expect(contentHash(target)).toBe(before);
  });

  it("is what the oracle catches when the links of a record already here are not added", async () => {
    const target = seededDatabase(40, { seed: 2 });
    const before = JSON.parse(await exportText(target)) as BackupDoc;
    const file = JSON.parse(
      mutated(await exportText(target), (doc) => {
        const preference = records(doc, PREFERENCE)[0]!;
        const all = records(doc, PRESET).map((p) => p.pk);
        preference.fields.followed_presets = all;
      }),
    ) as BackupDoc;
    // The database as it is, unmerged: the file's links of its first preference are missing.
    const verdict = judgeMerge(before.models, file.models, before.models);
    expect(verdict.violations.join("\n")).toMatch(/followed_presets → .* is missing after the merge/);
  });
});
