// Both directions against real Django (Debian's python3-django, tests/compat/django): a
// backup Django's own serializer writes restores here, and what we export loads into the
// original app's importer with zero refusals and every value intact.
import { describe, expect, it } from "vitest";

import { authenticate } from "@/lib/auth/accounts";
import { BACKUP_LABELS } from "@/lib/backup/format/schema-model";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { prisma } from "@/lib/db/prisma";
import { exportFile, type BackupDoc } from "@/tests/support/backup";
import { freshDatabase, seededDatabase, tableCounts } from "@/tests/support/db";
import {
  djangoWrittenBackup,
  loadIntoDjango,
  readDoc,
  REAL_BACKUPS,
  recordList,
  type DjangoRecord,
} from "@/tests/support/django";

/**
 * A record with `…:05.000Z` written `…:05Z`. Django writes `.000` when a time has 1–999
 * microseconds and no fraction when it has none; we keep milliseconds, so cannot tell the two
 * apart and write the shorter form. Same instant either way (Django reads both alike).
 */
function withWholeSeconds(record: DjangoRecord): DjangoRecord {
  const fields = Object.entries(record.fields).map(([k, v]) => [
    k,
    typeof v === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(v) ? v.replace(".000Z", "Z") : v,
  ]);
  return { ...record, fields: Object.fromEntries(fields) };
}

/** Every record of `ours` is in `django`'s dump with the same fields and values. */
function expectSameRecords(ours: BackupDoc, django: BackupDoc) {
  for (const label of BACKUP_LABELS) {
    const held = new Map(recordList(django, label).map((r) => [r.pk, withWholeSeconds(r)]));
    const mine = recordList(ours, label);
    expect(held.size, label).toBe(mine.length);
    for (const record of mine)
      expect(held.get(record.pk), `${label} pk ${record.pk}`).toEqual(withWholeSeconds(record));
  }
}

describe("a backup written by Django's own serializer", () => {
  it("restores here with every value: unicode, nulls, many-to-many, JSON, microseconds cut to milliseconds", async () => {
    const file = await djangoWrittenBackup();
    const target = freshDatabase();
    const result = await restoreBackup({ file, actor: "tester", source: "cli", silent: true });
    expect(result.ok, JSON.stringify(result).slice(0, 2000)).toBe(true);
    const written = readDoc(file);
    expect(Object.values(tableCounts(target))).toEqual(BACKUP_LABELS.map((l) => recordList(written, l).length));

    const again = readDoc(await exportFile(target));
    expectSameRecords(again, written);
    expect(recordList(again, "calendarEditor.NotificationPreference")[0]!.fields.followed_presets).toEqual([1, 2]);
    expect(recordList(again, "auth.User").map((u) => u.fields.username)).toEqual(["marie", "pierre curie", "姓名"]);
  });

  it("keeps its older password hashes working: pbkdf2_sha256 at 260,000 rounds and pbkdf2_sha1; unusable stays unusable", async () => {
    freshDatabase();
    expect(
      (await restoreBackup({ file: await djangoWrittenBackup(), actor: "tester", source: "cli", silent: true })).ok,
    ).toBe(true);
    expect(await authenticate("marie", "radium-1898")).toMatchObject({ isSuperuser: true });
    expect(await authenticate("pierre curie", "polonium")).toMatchObject({ isStaff: false });
    expect(await authenticate("marie", "polonium")).toBeNull();
    const guest = await prisma().user.findUniqueOrThrow({ where: { username: "姓名" } });
    expect(guest.password.startsWith("!")).toBe(true);
  });
});

describe("the original app's importer reading our export", () => {
  it("loads the demo data with zero refusals, and Django then holds exactly our records", async () => {
    const source = seededDatabase(150, { activate: false, seed: 11 });
    const file = await exportFile(source);
    const ours = readDoc(file);
    const { loaded, refused, dump } = await loadIntoDjango(file);
    expect(refused).toEqual([]);
    expect(Object.values(loaded)).toEqual(Object.values(tableCounts(source)));
    expectSameRecords(ours, dump);
  });

  it("loads our export of a restored real backup with zero refusals", async () => {
    const target = seededDatabase(10);
    expect((await restoreBackup({ file: REAL_BACKUPS.may, actor: "tester", source: "cli", silent: true })).ok).toBe(
      true,
    );
    const file = await exportFile(target);
    const { loaded, refused, dump } = await loadIntoDjango(file);
    expect(refused).toEqual([]);
    expect(loaded["calendarEditor.Notification"]).toBe(604);
    expectSameRecords(readDoc(file), dump);
  });

  it("refuses, as the original does, a file that is not a complete backup (a control: the importer can fail)", async () => {
    const target = seededDatabase(10, { activate: false });
    const file = await exportFile(target);
    const broken = readDoc(file);
    delete (broken as Record<string, unknown>).export_type;
    const { writeTemp } = await import("@/tests/support/backup");
    await expect(loadIntoDjango(writeTemp(JSON.stringify(broken)))).rejects.toThrow(/not a full database backup/);
  });
});
