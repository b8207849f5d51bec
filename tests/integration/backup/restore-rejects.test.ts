// Every kind of bad input gets a clear error and leaves the database byte-for-byte as it was.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";

import { archiveChunks } from "@/lib/admin/archive";
import { recordLabel } from "@/lib/backup/format/labels";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { saveUpload, uploadsDir, UploadTooLargeError } from "@/lib/backup/uploads";
import { prisma } from "@/lib/db/prisma";
import { exportText, mutated, records, serializeBackup, writeTemp, type BackupDoc } from "@/tests/support/backup";
import { contentHash, seededDatabase, tempDir } from "@/tests/support/db";

let valid: string;
/** The archive's own JSON export: a list of records, as the copy taken before a clear is too. */
let archiveList: string;

beforeAll(async () => {
  const source = seededDatabase(120, { activate: false, seed: 2 });
  valid = await exportText(source);
  let text = "";
  for await (const chunk of archiveChunks("json", `file:${source}`)) text += chunk;
  archiveList = writeTemp(text, "archived_measurements.json");
});

const firstRecordLine = (text: string, label: string) =>
  text.split("\n").find((l) => l.startsWith(`{"model":"${recordLabel(label)}"`))!;

/** The file with one model's section written twice (a JSON object cannot hold that, so by text). */
function withSectionTwice(text: string, label: string): string {
  const start = text.indexOf(`${JSON.stringify(label)}: [`);
  const end = text.indexOf("\n]", start) + 2;
  return `${text.slice(0, end)},\n${text.slice(start, end)}${text.slice(end)}`;
}

function foreignSqlite(): string {
  const file = path.join(tempDir(), "other-app.sqlite3");
  const db = new Database(file);
  db.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);");
  db.close();
  return file;
}

/** Random bytes, but never a "{" (or whitespace and then one) first: 1 run in ~200 drew one. */
function binaryJunk(): Buffer {
  const bytes = randomBytes(4096);
  bytes[0] = 0x89;
  return bytes;
}

const BAD_INPUTS: [string, () => string, RegExp][] = [
  [
    "malformed JSON",
    () => writeTemp(valid.replace('"fields":{"password":', '"fields":{"password"::')),
    /Malformed JSON|Expected/,
  ],
  ["a truncated file", () => writeTemp(valid.slice(0, Math.floor(valid.length * 0.6))), /truncated/],
  ["an empty file", () => writeTemp(""), /empty/],
  ["binary junk", () => writeTemp(binaryJunk()), /neither a JSON export nor a SQLite snapshot/],
  [
    "a damaged gzip file",
    () => writeTemp(gzipSync(valid).subarray(0, 2000), "b.json.gz"),
    /gzip file is damaged|truncated/,
  ],
  [
    "the archive's JSON export (a list of records, not a whole backup)",
    () => archiveList,
    /^This file is a bare list of records \(like the archive's JSON export, or Django's dumpdata\), not a backup of the whole database/,
  ],
  [
    "a JSON document that is not a backup",
    () => writeTemp('{"name":"lab-queue-admin","version":"0.1.0"}'),
    /no "models" section/,
  ],
  [
    "a newer format version",
    () => writeTemp(mutated(valid, (d) => (d.format_version = 99))),
    /format version 99, newer than this app reads/,
  ],
  [
    "an unknown model label",
    () =>
      writeTemp(
        mutated(valid, (d) => {
          d.models["calendarEditor.Fridge"] = d.models["calendarEditor.Machine"]!;
          delete d.models["calendarEditor.Machine"];
        }),
      ),
    /Unknown model label "calendarEditor.Fridge"/,
  ],
  [
    "a field of the wrong type",
    () => writeTemp(mutated(valid, (d) => (records(d, "auth.User")[0]!.fields.is_staff = "yes"))),
    /auth\.User record pk 1: is_staff: expected true or false, got "yes"/,
  ],
  [
    "a number field holding words",
    () => writeTemp(mutated(valid, (d) => (records(d, "calendarEditor.Machine")[0]!.fields.min_temp = "cold"))),
    /Machine record pk 1: min_temp: expected a number, got "cold"/,
  ],
  [
    "a text field holding a list",
    () => writeTemp(mutated(valid, (d) => (records(d, "calendarEditor.Machine")[0]!.fields.location = ["A", 1]))),
    /location: expected text, got a list/,
  ],
  [
    "null where the field may not be null",
    () => writeTemp(mutated(valid, (d) => (records(d, "calendarEditor.QueueEntry")[0]!.fields.title = null))),
    /QueueEntry record pk 1: title: may not be null/,
  ],
  [
    "a model listed twice",
    () => writeTemp(withSectionTwice(valid, "calendarEditor.Machine")),
    /"calendarEditor\.Machine" appears twice in "models"/,
  ],
  [
    "a record of another model under a label",
    () => writeTemp(mutated(valid, (d) => (records(d, "auth.User")[0]!.model = "auth.group"))),
    /record says model "auth\.group" but is listed under "auth\.User"/,
  ],
  [
    "a record whose app label differs only in case (Django matches app labels exactly)",
    () => writeTemp(mutated(valid, (d) => (records(d, "auth.User")[0]!.model = "Auth.user"))),
    /record says model "Auth\.user"/,
  ],
  [
    "another kind of export of the original app",
    () => writeTemp(mutated(valid, (d) => (d.export_type = "archived_measurements"))),
    /"archived_measurements" export, not a complete database backup/,
  ],
  [
    "a missing field that has no default",
    () => writeTemp(mutated(valid, (d) => delete records(d, "calendarEditor.QueueEntry")[3]!.fields.required_min_temp)),
    /QueueEntry record pk 4: required_min_temp: missing, and it has no default/,
  ],
  [
    "an impossible date",
    () =>
      writeTemp(
        mutated(
          valid,
          (d) => (records(d, "calendarEditor.QueueEntry")[0]!.fields.submitted_at = "2024-02-30T10:00:00Z"),
        ),
      ),
    /submitted_at: not a valid date and time/,
  ],
  [
    "a duplicate primary key",
    () =>
      writeTemp(
        mutated(valid, (d) => {
          const list = records(d, "calendarEditor.Machine");
          list.push({ ...list[0]!, fields: { ...list[0]!.fields, name: "Twin" } });
        }),
      ),
    /Machine: primary key 1 appears more than once/,
  ],
  [
    "a foreign key that points nowhere",
    () => writeTemp(mutated(valid, (d) => (records(d, "calendarEditor.QueueEntry")[0]!.fields.user = 999_999))),
    /user points to auth\.User pk 999999, which is not in the file/,
  ],
  [
    "a many-to-many link that points nowhere",
    () =>
      writeTemp(
        mutated(
          valid,
          (d) => (records(d, "calendarEditor.NotificationPreference")[0]!.fields.followed_presets = [424242]),
        ),
      ),
    /followed_presets points to calendarEditor\.QueuePreset pk 424242/,
  ],
  [
    "a many-to-many field that is null, which Django's importer refuses too",
    () => writeTemp(mutated(valid, (d) => (records(d, "auth.User")[0]!.fields.user_permissions = null))),
    /user_permissions: expected a list of primary keys, got null/,
  ],
  [
    "a list of followed presets that is not a list",
    () =>
      writeTemp(
        mutated(valid, (d) => (records(d, "calendarEditor.NotificationPreference")[0]!.fields.followed_presets = "")),
      ),
    /followed_presets: expected a list of primary keys, got text/,
  ],
  [
    "a one-to-one clash",
    () =>
      writeTemp(
        mutated(
          valid,
          (d) =>
            (records(d, "userRegistration.UserProfile")[1]!.fields.user = records(
              d,
              "userRegistration.UserProfile",
            )[0]!.fields.user),
        ),
      ),
    /one-to-one clash/,
  ],
  [
    "a unique name used twice",
    () =>
      writeTemp(
        mutated(
          valid,
          (d) =>
            (records(d, "calendarEditor.Machine")[1]!.fields.name = records(
              d,
              "calendarEditor.Machine",
            )[0]!.fields.name),
        ),
      ),
    /share name .* must be unique/,
  ],
  [
    "a record changed after export (digest mismatch)",
    () =>
      writeTemp(
        valid.replace(
          firstRecordLine(valid, "calendarEditor.Machine"),
          firstRecordLine(valid, "calendarEditor.Machine")
            .replace('"is_available":', '"is_available":!')
            .replace("!true", "false")
            .replace("!false", "true"),
        ),
      ),
    /Digest mismatch/,
  ],
  [
    "a count that does not match",
    () => writeTemp(mutated(valid, (d) => (d.integrity!.record_counts["auth.User"] = 1), { resign: false })),
    /Count mismatch for "auth\.User"/,
  ],
  [
    "a record removed without re-signing",
    () => writeTemp(mutated(valid, (d) => records(d, "calendarEditor.Notification").pop(), { resign: false })),
    /Count mismatch|Digest mismatch/,
  ],
  [
    "a file marked incomplete",
    () =>
      writeTemp(
        mutated(valid, (d) => {
          d.models["calendarEditor.Notification"] = { error: "disk I/O error" };
          d.integrity!.complete = false;
        }),
      ),
    /failed to export \(disk I\/O error\)/,
  ],
  [
    "a missing model section",
    () => writeTemp(mutated(valid, (d) => delete d.models["calendarEditor.QueuePreset"])),
    /"calendarEditor\.QueuePreset" is missing/,
  ],
  [
    "a missing integrity block",
    () => writeTemp(mutated(valid, (d) => delete d.integrity)),
    /integrity block .* is missing/,
  ],
  ["a SQLite file that is not this app's", foreignSqlite, /not a snapshot of this app/],
];

describe("restore refuses bad input and changes nothing", () => {
  it("has a re-signing helper that reproduces the exporter's layout exactly", () => {
    expect(serializeBackup(JSON.parse(valid) as BackupDoc)).toBe(valid);
  });

  it.each(BAD_INPUTS)("refuses %s with a clear message", async (_kind, makeFile, message) => {
    const db = seededDatabase(60);
    const before = contentHash(db);
    const result = await restoreBackup({ file: makeFile(), actor: "tester", source: "cli" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.stage).toBe("validate");
    expect(result.error).toMatch(/nothing was changed/);
    expect(result.report?.problems.join("\n")).toMatch(message);
    expect(contentHash(db)).toBe(before);
    const history = await prisma().backupEvent.findMany();
    expect(history).toMatchObject([{ kind: "restore", result: "failed" }]);
  });

  it("refuses an oversized upload while it streams in, keeping nothing of it", async () => {
    const db = seededDatabase(30);
    const before = contentHash(db);
    const body = new Blob([randomBytes(300_000)]).stream();
    await expect(saveUpload(body, 100_000)).rejects.toThrow(UploadTooLargeError);
    await expect(saveUpload(new Blob([randomBytes(300_000)]).stream(), 100_000)).rejects.toThrow(
      /larger than the .* upload limit \(MAX_UPLOAD_BYTES\)/,
    );
    expect(fs.readdirSync(uploadsDir())).toEqual([]);
    expect(contentHash(db)).toBe(before);
  });

  it("refuses a file that does not exist", async () => {
    const db = seededDatabase(30);
    const before = contentHash(db);
    const result = await restoreBackup({ file: "/nonexistent/backup.json", actor: "tester", source: "cli" });
    expect(result.ok || result.report?.problems[0]).toMatch(/does not exist/);
    expect(contentHash(db)).toBe(before);
  });

  it("accepts the unmodified file (so the refusals above are about their faults)", async () => {
    seededDatabase(60);
    const result = await restoreBackup({ file: writeTemp(valid), actor: "tester", source: "cli" });
    expect(result.ok).toBe(true);
  });
});
