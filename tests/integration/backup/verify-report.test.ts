// What db:verify and the dry run say about a file: its header, each kind of refusal in the
// words a lab manager reads, the warnings and notes of the original app's files, and what
// can and cannot be restored.
import path from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import { BACKUP_LABELS } from "@/lib/backup/format/schema-model";
import { verifyBackupFile, type BackupReport } from "@/lib/backup/verify/verify";
import { APP_NAME, APP_VERSION } from "@/lib/config";
import { exportText, mutated, records, writeTemp, type BackupDoc } from "@/tests/support/backup";
import { seededDatabase, tempDir } from "@/tests/support/db";
import { readDoc, REAL_BACKUPS } from "@/tests/support/django";

let ours = "";
beforeAll(async () => {
  ours = await exportText(seededDatabase(80, { activate: false, seed: 7 }));
});

const verifyText = (text: string | Buffer) => verifyBackupFile(writeTemp(text));
const change = (edit: (doc: BackupDoc) => void, resign = true) => verifyText(mutated(ours, edit, { resign }));
/** The original app's layout: no format_version, no integrity block. */
const legacy = (edit: (doc: BackupDoc) => void = () => {}) =>
  change((doc) => {
    delete doc.format_version;
    delete doc.integrity;
    edit(doc);
  });

describe("the report of a file", () => {
  it("reads this app's header, counts its accounts, and has nothing to warn about", async () => {
    const doc = JSON.parse(ours) as BackupDoc;
    const report = await verifyText(ours);
    expect(report).toMatchObject({
      ok: true,
      exportDate: doc.export_date,
      formatVersion: 1,
      upgradedFrom: null,
      app: `${APP_NAME} ${APP_VERSION}`,
      complete: true,
      digest: "verified",
      warnings: [],
      losses: [],
    });
    expect(report.accounts).toHaveLength(records(doc, "auth.User").length);
  });

  it("finds nothing to note in an export of our own demo data, at several sizes and seeds", async () => {
    for (const [scale, seed] of [
      [300, 1],
      [1_000, 5],
    ] as const) {
      const report = await verifyText(await exportText(seededDatabase(scale, { activate: false, seed })));
      expect(report.notes, `scale ${scale}, seed ${seed}`).toEqual([]);
    }
  });

  it("reads the original app's file as format 0, upgraded, with its notes in words", async () => {
    const report = await verifyBackupFile(REAL_BACKUPS.february);
    expect(report).toMatchObject({
      ok: true,
      formatVersion: 0,
      upgradedFrom: 0,
      djangoVersion: "4.2.25",
      app: null,
      complete: true,
      digest: "absent",
      warnings: [
        "A backup from the original Django app (no format_version): it carries no digest or record counts to check.",
      ],
    });
    expect(report.exportDate).toBe(readDoc(REAL_BACKUPS.february).export_date);
    expect(report.accounts).toHaveLength(13);
    const texts = report.notes.map((n) => n.text);
    expect(texts).toContain(
      'User profiles, phone number (userRegistration.UserProfile.phone_number): 2 records hold a true/false value where text belongs; kept as the original app keeps it (true → "True"), so nothing is lost. Accounts concerned: qtdtq and OwlnVhzg.',
    );
    expect(texts).toContain(
      'User profiles, notes (userRegistration.UserProfile.notes): 1 record holds a true/false value where text belongs; kept as the original app keeps it (true → "True"), so nothing is lost. Accounts concerned: qtdtq.',
    );
    // Two profiles hold "" (no question chosen): the field's default, unset rather than outside the choices.
    expect(texts.filter((t) => t.includes("security question"))).toEqual([]);
    expect(texts).toContain(
      "User profiles, is lab manager (userRegistration.UserProfile.is_lab_manager): missing from 13 records (an older file); filled in with the default, false. Nothing is lost. Concerns every user profile in the file.",
    );
  });

  it("warns, without refusing, about a model the original app's file leaves out and a schema it does not know", async () => {
    const report = await legacy((doc) => {
      delete doc.models["calendarEditor.Notification"];
      doc.schema_version = "29991231000000_from_the_future";
    });
    expect(report.ok, report.problems.join("\n")).toBe(true);
    expect(report.warnings).toContain(
      'No "calendarEditor.Notification" records in the file; that table will be empty.',
    );
    expect(report.warnings).toContain(
      "Made by a database at schema version 29991231000000_from_the_future, which this app does not know; fields are matched by name.",
    );
  });

  it("ignores a field this app lacks when it is empty in every record, and counts it a loss otherwise", async () => {
    const empties = [null, "", [], {}];
    const ignored = await legacy((doc) =>
      records(doc, "auth.User").forEach((u, i) => (u.fields.extra = empties[i % empties.length])),
    );
    const users = records(JSON.parse(ours) as BackupDoc, "auth.User").length;
    expect(ignored.losses).toEqual([]);
    expect(ignored.notes.map((n) => n.text)).toContain(
      `Users, extra (auth.User.extra): a field this app does not have, empty in all ${users} records; ignored, so nothing is lost.`,
    );
    for (const value of [[7], { a: 1 }, "x", 0]) {
      let owner = "";
      const lost = await legacy((doc) => {
        const [first] = records(doc, "auth.User");
        first!.fields.extra = value;
        owner = String(first!.fields.username);
      });
      expect(
        lost.losses.map((l) => l.text),
        JSON.stringify(value),
      ).toEqual([
        `Users, extra (auth.User.extra): a field this app does not have, with 1 non-empty value; they would be lost. Accounts concerned: ${owner}.`,
      ]);
    }
  });
});

describe("a file is refused, saying why", () => {
  const refusals: [string, () => Promise<BackupReport>, string | RegExp][] = [
    [
      "a top-level member written twice",
      () => verifyText(ours.replace("{", '{"export_type":"full_database_backup",')),
      'The top-level member "export_type" appears twice.',
    ],
    [
      "a header value of the wrong type",
      () => change((doc) => (doc.export_date = 5 as never)),
      /^Header export_date: /,
    ],
    [
      "an export date that is not a date",
      () => change((doc) => (doc.export_date = "yesterday")),
      'export_date "yesterday" is not a date and time.',
    ],
    [
      "a malformed integrity block",
      () => change((doc) => (doc.integrity!.records_sha256 = "abc"), false),
      "The integrity block (record counts and digest) is malformed: records_sha256: must be a hex SHA-256. The file was edited or damaged after it was made.",
    ],
    [
      "an integrity block without its digest",
      () => change((doc) => delete (doc.integrity as Partial<typeof doc.integrity>)!.records_sha256, false),
      "The integrity block (record counts and digest) is malformed: records_sha256 is missing. The file was edited or damaged after it was made.",
    ],
    [
      "a file its exporter marked incomplete, with the reason",
      () =>
        change((doc) => {
          doc.integrity!.complete = false;
          doc.integrity!.errors = { "calendarEditor.Notification": "database is locked" };
        }),
      "The file is marked incomplete by its exporter (calendarEditor.Notification: database is locked).",
    ],
    [
      "a file its exporter marked incomplete, without a reason",
      () => change((doc) => (doc.integrity!.complete = false)),
      "The file is marked incomplete by its exporter.",
    ],
    [
      "records changed after export",
      () => change((doc) => (records(doc, "calendarEditor.Machine")[0]!.fields.name = "Fridge 9"), false),
      /^Digest mismatch: the records were changed after export \(expected SHA-256 [0-9a-f]{16}…, got [0-9a-f]{16}…\)\.$/,
    ],
    [
      "a model that is not a list of records",
      () => change((doc) => (doc.models["calendarEditor.Machine"] = "oops" as never)),
      '"calendarEditor.Machine" should be a list of records.',
    ],
    [
      "a record whose pk is not a number, named by its position",
      () => change((doc) => (records(doc, "calendarEditor.Machine")[1]!.pk = "two" as never)),
      /^calendarEditor\.Machine record #2: /,
    ],
    [
      "a many-to-many list naming the same record twice",
      () =>
        change((doc) => {
          const owner = records(doc, "calendarEditor.NotificationPreference").find((r) =>
            Object.values(r.fields).some((v) => Array.isArray(v) && v.length > 0),
          )!;
          const [field, list] = Object.entries(owner.fields).find(([, v]) => Array.isArray(v) && v.length > 0)!;
          owner.fields[field] = [...(list as number[]), (list as number[])[0]];
        }),
      /^calendarEditor\.NotificationPreference pk \d+: \w+ lists the same pk twice\.$/,
    ],
  ];

  it.each(refusals)("%s", async (_, verify, problem) => {
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.complete === false || report.problems.length > 0).toBe(true);
    expect(report.problems).toContainEqual(typeof problem === "string" ? problem : expect.stringMatching(problem));
  });

  it("lists the first 50 problems and says how many more there are", async () => {
    const report = await change((doc) => {
      for (const entry of records(doc, "calendarEditor.QueueEntry").slice(0, 60)) entry.fields.user = 4242;
    });
    expect(report.problems).toHaveLength(51);
    expect(report.problems.at(-1)).toBe("…and 10 more problems.");
  });

  it("checks references to a model later in the file once the whole file is read", async () => {
    const reordered = (doc: BackupDoc) => {
      const { "calendarEditor.QueueEntry": entries, ...rest } = doc.models;
      doc.models = { "calendarEditor.QueueEntry": entries!, ...rest };
    };
    expect((await change(reordered)).ok).toBe(true);
    const dangling = await change((doc) => {
      reordered(doc);
      records(doc, "calendarEditor.QueueEntry")[3]!.fields.user = 4242;
      records(doc, "calendarEditor.QueueEntry")[5]!.fields.assigned_machine = 777;
    });
    expect(dangling.problems).toEqual([
      expect.stringMatching(
        /^calendarEditor\.QueueEntry pk \d+: user points to auth\.User pk 4242, which is not in the file\.$/,
      ),
      expect.stringMatching(
        /^calendarEditor\.QueueEntry pk \d+: assigned_machine points to calendarEditor\.Machine pk 777, which is not in the file\.$/,
      ),
    ]);
  });

  it("describes a file it cannot read at all with an empty, failed report", async () => {
    const missing = await verifyBackupFile(path.join(tempDir(), "nowhere.json"));
    expect(missing).toEqual({
      ok: false,
      kind: null,
      fileBytes: 0,
      exportDate: null,
      madeFrom: null,
      formatVersion: null,
      upgradedFrom: null,
      schemaVersion: null,
      app: null,
      djangoVersion: null,
      counts: Object.fromEntries(BACKUP_LABELS.map((l) => [l, 0])),
      declaredCounts: null,
      digest: "absent",
      complete: false,
      problems: [expect.stringMatching(/nowhere\.json does not exist or cannot be read\.$/)],
      warnings: [],
      notes: [],
      losses: [],
      accounts: [],
      fileSha256: null,
    });
    expect(await verifyText("")).toMatchObject({ ok: false, kind: "json", problems: ["The file is empty."] });
    expect(await verifyText(ours.slice(0, 3000))).toMatchObject({ ok: false, kind: "json" });
  });
});
