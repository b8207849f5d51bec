// The real backups the original Django app wrote (tests/fixtures/django-real) are the test
// of compatibility: each verifies, restores with every record and field, exports back to
// the same records, and its people sign in with their passwords.
import fs from "node:fs";

import { describe, expect, it } from "vitest";

import { authenticate } from "@/lib/auth/accounts";
import { BACKUP_LABELS, BACKUP_MODELS, modelByLabel } from "@/lib/backup/format/schema-model";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { prisma } from "@/lib/db/prisma";
import { exportText, mutated, writeTemp, type BackupDoc } from "@/tests/support/backup";
import { contentHash, seededDatabase, tableCounts } from "@/tests/support/db";
import { asDjangoStores, djangoVerdicts, readDoc, REAL_BACKUPS, recordList } from "@/tests/support/django";

/** Record counts from the fixtures' README. */
const README_COUNTS = {
  february: [13, 13, 5, 20, 86, 21, 13, 147],
  may: [23, 23, 5, 32, 144, 72, 23, 604],
} as const;

const textFields = (label: string) =>
  new Set(
    modelByLabel(label)!
      .columns.filter((c) => c.type === "String")
      .map((c) => c.django),
  );

describe.each(Object.entries(REAL_BACKUPS))("the original app's real backup from %s", (name, file) => {
  const counts = README_COUNTS[name as keyof typeof README_COUNTS];
  const source = readDoc(file);

  it("verifies with no problem and no loss, every record counted", async () => {
    const report = await verifyBackupFile(file);
    expect(report.problems).toEqual([]);
    expect(report.losses).toEqual([]);
    expect(report.ok).toBe(true);
    expect(Object.values(report.counts)).toEqual(counts);
    expect(report.djangoVersion).toBe("4.2.25");
  });

  it("lists what Django itself would normalise as notes: values outside choices, booleans in text fields", async () => {
    const { notes } = await verifyBackupFile(file);
    const note = (field: string, kind: string) => notes.filter((n) => n.field === field && n.kind === kind);
    expect(note("phone_number", "converted")).toEqual([
      expect.objectContaining({
        count: 2,
        text: expect.stringMatching(/true\/false value where text belongs.*"True".*nothing is lost/),
      }),
    ]);
    expect(note("notes", "converted")).toHaveLength(1);
    const outside = note("notification_type", "outside-choices").map((n) => n.text);
    for (const value of ["admin_action", "developer_new_feedback", "feedback_completed"]) {
      expect(outside.some((t) => t.includes(`"${value}"`))).toBe(true);
    }
  });

  it("restores every record and exports them back with the same fields, values and field order", async () => {
    const target = seededDatabase(30, { seed: 7 });
    const result = await restoreBackup({ file, actor: "tester", source: "cli", silent: true });
    expect(result.ok, JSON.stringify(result).slice(0, 2000)).toBe(true);
    expect(Object.values(tableCounts(target))).toEqual(counts);

    const exported = JSON.parse(await exportText(target)) as BackupDoc;
    let fieldsCompared = 0;
    for (const label of BACKUP_LABELS) {
      const ours = new Map(recordList(exported, label).map((r) => [r.pk, r]));
      const text = textFields(label);
      for (const record of recordList(source, label)) {
        const again = ours.get(record.pk)!;
        expect(again.model).toBe(record.model);
        // Older files lack newer fields: those come back with their defaults, after the file's own.
        const theirs = asDjangoStores(record.fields, text);
        const sameFields = Object.fromEntries(Object.keys(theirs).map((k) => [k, again.fields[k]]));
        expect(JSON.stringify(sameFields), `${label} pk ${record.pk}`).toBe(JSON.stringify(theirs));
        fieldsCompared += Object.keys(theirs).length;
      }
      expect(ours.size).toBe(recordList(source, label).length);
    }
    expect(fieldsCompared).toBeGreaterThan(counts.reduce((a, b) => a + b, 0) * 10);
  });

  it("lets its superuser and its researchers sign in with their own passwords, and no one else", async () => {
    seededDatabase(10);
    expect((await restoreBackup({ file, actor: "tester", source: "cli", silent: true })).ok).toBe(true);
    const admin = await authenticate("qtdtq", "lab-1-pass");
    expect(admin).toMatchObject({ id: 1, isSuperuser: true, isStaff: true });
    expect(await authenticate("qtdtq", "lab-14-pass")).toBeNull();
    expect(await authenticate("eewucvzlf", "lab-14-pass")).toMatchObject({ id: 14, isStaff: false });
  });
});

describe("what an older real backup lacks", () => {
  it("takes the model's defaults for fields added later, and the profile's new fields survive a newer file", async () => {
    seededDatabase(10);
    expect(
      (await restoreBackup({ file: REAL_BACKUPS.february, actor: "tester", source: "cli", silent: true })).ok,
    ).toBe(true);
    const profile = await prisma().userProfile.findFirstOrThrow({ where: { userId: 1 } });
    expect(profile).toMatchObject({
      isLabManager: false,
      ln2Trained: false,
      quantifyTrained: false,
      labManagerPromotedById: null,
    });
    const entries = await prisma().queueEntry.count({ where: { requiresTempDependence: true } });
    expect(entries).toBe(0);

    expect((await restoreBackup({ file: REAL_BACKUPS.may, actor: "tester", source: "cli", silent: true })).ok).toBe(
      true,
    );
    const manager = recordList(readDoc(REAL_BACKUPS.may), "userRegistration.UserProfile").find(
      (p) => p.fields.is_lab_manager,
    )!;
    const later = await prisma().userProfile.findUniqueOrThrow({ where: { id: manager.pk } });
    expect(later).toMatchObject({
      isLabManager: true,
      labManagerPromotedById: manager.fields.lab_manager_promoted_by,
      labManagerPromotedAt: new Date(manager.fields.lab_manager_promoted_at as string),
    });
  });
});

describe("a real backup with a timestamp missing", () => {
  const may = fs.readFileSync(REAL_BACKUPS.may, "utf8");
  const timestamps = BACKUP_MODELS.flatMap((model) =>
    model.columns.filter((c) => c.type === "DateTime" && !c.nullable).map((column) => ({ model, column })),
  );
  const withoutIt = timestamps.map(({ model, column }) =>
    writeTemp(mutated(may, (doc) => delete recordList(doc, model.label)[0]!.fields[column.django])),
  );

  it("is refused when the original's importer refuses it (its automatic timestamps) and loads when it fills a default", async () => {
    const verdicts = await djangoVerdicts(withoutIt);
    let refusedByBoth = 0;
    for (const [i, { model, column }] of timestamps.entries()) {
      const verdict = verdicts[i]!;
      const django = verdict.parsed && verdict.refused.length > 0 ? "refused" : "loaded";
      const report = await verifyBackupFile(withoutIt[i]!);
      expect(report.ok ? "loaded" : "refused", `${model.label}.${column.django}`).toBe(django);
      if (django === "refused") {
        expect(verdict.parsed && verdict.refused[0]!.error).toMatch(
          `NOT NULL constraint failed: ${model.table}.${column.column}`,
        );
        expect(report.problems[0]).toMatch(`${column.django}: missing, and a backup must carry it`);
        refusedByBoth++;
      }
    }
    // Django's auto_now(_add) fields are most of them; date_joined, measurement_date and archived_at load.
    expect(refusedByBoth).toBe(timestamps.length - 3);
  });

  it("leaves the database as it was when refused", async () => {
    const target = seededDatabase(10);
    const before = contentHash(target);
    const notification = timestamps.findIndex(({ model }) => model.label === "calendarEditor.Notification");
    const result = await restoreBackup({
      file: withoutIt[notification]!,
      actor: "tester",
      source: "cli",
      silent: true,
    });
    expect(result).toMatchObject({ ok: false, stage: "validate" });
    expect(contentHash(target)).toBe(before);
  });
});

describe("details a restore of a real backup keeps", () => {
  it("keeps microseconds a file carries, and continues numbering after the highest primary key", async () => {
    const may = fs.readFileSync(REAL_BACKUPS.may, "utf8");
    const file = writeTemp(
      mutated(may, (doc) => (recordList(doc, "auth.User")[0]!.fields.last_login = "2026-05-11T19:24:23.645123Z")),
    );
    const target = seededDatabase(10);
    expect((await restoreBackup({ file, actor: "tester", source: "cli", silent: true })).ok).toBe(true);
    const again = JSON.parse(await exportText(target)) as BackupDoc;
    expect(recordList(again, "auth.User")[0]!.fields.last_login).toBe("2026-05-11T19:24:23.645123Z");

    const highest = Math.max(...recordList(readDoc(REAL_BACKUPS.may), "calendarEditor.QueueEntry").map((r) => r.pk));
    const created = await prisma().queueEntry.create({
      data: { userId: 1, title: "next", requiredMinTemp: 1, estimatedDurationHours: 1 },
    });
    expect(created.id).toBe(highest + 1);
  });
});

describe("a real backup with data this app cannot keep", () => {
  const may = fs.readFileSync(REAL_BACKUPS.may, "utf8");

  it("names a field this app does not have with its non-empty values, and refuses to drop it unless accepted", async () => {
    const file = writeTemp(
      mutated(may, (doc) => {
        const profiles = recordList(doc, "userRegistration.UserProfile");
        profiles[0]!.fields.orcid = "0000-0002-1825-0097";
        profiles[1]!.fields.orcid = "";
      }),
    );
    const target = seededDatabase(20, { seed: 3 });
    const before = tableCounts(target);
    const report = await verifyBackupFile(file);
    expect(report.ok).toBe(true);
    expect(report.losses).toEqual([
      expect.objectContaining({ label: "userRegistration.UserProfile", field: "orcid", values: 1 }),
    ]);

    const refused = await restoreBackup({ file, actor: "tester", source: "cli" });
    expect(refused).toMatchObject({
      ok: false,
      stage: "validate",
      error: expect.stringMatching(/orcid.*Nothing was changed/s),
    });
    expect(tableCounts(target)).toEqual(before);

    const accepted = await restoreBackup({ file, actor: "tester", source: "cli", acceptLoss: true, silent: true });
    expect(accepted.ok).toBe(true);
  });

  it("treats a model the original failed to export as a loss, and an empty unknown field as a note", async () => {
    const file = writeTemp(
      mutated(may, (doc) => {
        doc.models["calendarEditor.Notification"] = { error: "database is locked", count: 0 } as never;
        for (const user of recordList(doc, "auth.User")) user.fields.legacy_flag = null;
      }),
    );
    const report = await verifyBackupFile(file);
    expect(report.ok).toBe(true);
    expect(report.losses).toEqual([
      expect.objectContaining({
        label: "calendarEditor.Notification",
        field: null,
        text: expect.stringMatching(/database is locked/),
      }),
    ]);
    expect(report.notes).toContainEqual(expect.objectContaining({ field: "legacy_flag", kind: "ignored", count: 23 }));
    seededDatabase(10);
    expect(await restoreBackup({ file, actor: "tester", source: "cli" })).toMatchObject({
      ok: false,
      stage: "validate",
    });
  });

  it("counts non-empty groups of a user as a loss: this app keeps no groups", async () => {
    const file = writeTemp(mutated(may, (doc) => (recordList(doc, "auth.User")[2]!.fields.groups = [3])));
    const report = await verifyBackupFile(file);
    expect(report.losses).toEqual([expect.objectContaining({ field: "groups", values: 1 })]);
  });
});
