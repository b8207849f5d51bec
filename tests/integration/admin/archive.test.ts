// Archived measurements on their own: the exports read back to exactly what the database
// holds, and Clear archive writes its copy before it deletes, all or nothing.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import {
  archiveChunks,
  archiveCopiesDir,
  archiveCopyByName,
  archiveResponse,
  clearArchive,
  listArchiveCopies,
} from "@/lib/admin/archive";
import { prisma } from "@/lib/db/prisma";
import { withSqlite } from "@/lib/db/sqlite";
import { exportText, records, type BackupDoc } from "@/tests/support/backup";
import { seededDatabase, tableCounts } from "@/tests/support/db";

async function text(format: "json" | "csv", file: string): Promise<string> {
  let out = "";
  for await (const chunk of archiveChunks(format, file)) out += chunk;
  return out;
}

/** A small RFC 4180 reader for the test: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(input: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted && c === '"' && input[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      endField();
    } else if (!quoted && c === "\r" && input[i + 1] === "\n") {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else {
      field += c;
    }
  }
  return rows;
}

describe("archived measurements export", () => {
  it("writes JSON records identical to the complete backup's", async () => {
    const file = seededDatabase(300, { activate: false });
    const archive = JSON.parse(await text("json", file)) as unknown[];
    const backup = JSON.parse(await exportText(file)) as BackupDoc;
    expect(archive).toEqual(records(backup, "calendarEditor.ArchivedMeasurement"));
    expect(archive).toHaveLength(150);
  });

  it("writes CSV that reads back field for field, even with commas, quotes and line breaks in the notes", async () => {
    const file = seededDatabase(100, { activate: false });
    const tricky = 'Run 3, "cold" start\nsecond line';
    withSqlite(
      (db) => db.prepare("UPDATE calendarEditor_archivedmeasurement SET notes = ? WHERE id = 1").run(tricky),
      file,
    );
    const rows = parseCsv(await text("csv", file));
    const [header, ...data] = rows;
    expect(header).toEqual(expect.arrayContaining(["id", "username", "title", "notes", "measurement_date"]));
    expect(data).toHaveLength(50);
    const first = Object.fromEntries(header!.map((h, i) => [h, data[0]![i]]));
    expect(first.notes).toBe(tricky);
    expect(first.measurement_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(first.username).toMatch(/\w/);
  });
});

describe("archived measurements download", () => {
  it("is written to the History once its last byte is sent: who, format, size and SHA-256 of what was sent", async () => {
    seededDatabase(200);
    const response = archiveResponse("csv", "tester");
    expect(await prisma().backupEvent.count({ where: { kind: "archive-export" } })).toBe(0);
    const sent = Buffer.from(await response.arrayBuffer());
    const history = await prisma().backupEvent.findFirstOrThrow({ where: { kind: "archive-export" } });
    expect(history).toMatchObject({
      source: "ui",
      actor: "tester",
      result: "ok",
      bytes: sent.length,
      sha256: createHash("sha256").update(sent).digest("hex"),
      detail: "Archived measurements as CSV",
    });
  });

  it("a download stopped before the end is written as failed", async () => {
    seededDatabase(200);
    const reader = archiveResponse("json", "tester").body!.getReader();
    await reader.read();
    await reader.cancel();
    const history = await prisma().backupEvent.findFirstOrThrow({ where: { kind: "archive-export" } });
    expect(history).toMatchObject({ actor: "tester", result: "failed" });
    expect(history.detail).toMatch(/stopped before the end/);
  });
});

describe("clear archive", () => {
  it("writes a copy first, deletes every archived measurement, and tells each owner once", async () => {
    const file = seededDatabase(200);
    const before = await text("json", file);
    const owners = await prisma().archivedMeasurement.groupBy({ by: ["userId"] });
    const outcome = await clearArchive({ actor: "tester", silent: false });
    expect(outcome.removed).toBe(100);
    expect(outcome.notified).toBe(owners.length);
    expect(tableCounts(file)["calendarEditor.ArchivedMeasurement"]).toBe(0);
    const copy = archiveCopyByName(outcome.copy)!;
    expect(fs.readFileSync(copy, "utf8")).toBe(before);
    const notices = await prisma().notification.findMany({ where: { title: "Archived measurements cleared" } });
    expect(notices.map((n) => n.recipientId).sort()).toEqual(owners.map((o) => o.userId).sort());
    const history = await prisma().backupEvent.findFirstOrThrow({ where: { kind: "clear-archive" } });
    expect(history).toMatchObject({ result: "ok", bytes: fs.statSync(copy).size });
  });

  it("notifies nobody when silent, and serves copies by name only", async () => {
    seededDatabase(100);
    const outcome = await clearArchive({ actor: "tester", silent: true });
    expect(outcome.notified).toBe(0);
    expect(await prisma().notification.count({ where: { title: "Archived measurements cleared" } })).toBe(0);
    expect(archiveCopyByName(`../${outcome.copy}`)).toBeNull();
    expect(archiveCopyByName(path.join(archiveCopiesDir(), outcome.copy))).toBeNull();
  });

  it("changes nothing and leaves no copy when the database refuses part of the clear", async () => {
    const file = seededDatabase(100);
    // The database refuses the owners' notices, after the copy was written and the rows deleted.
    withSqlite(
      (db) =>
        db.exec(`CREATE TRIGGER test_refuse BEFORE INSERT ON calendarEditor_notification
                 BEGIN SELECT RAISE(ABORT, 'notices refused'); END`),
      file,
    );
    const before = tableCounts(file);
    await expect(clearArchive({ actor: "tester", silent: false })).rejects.toThrow("notices refused");
    expect(tableCounts(file)).toEqual(before);
    expect(listArchiveCopies()).toEqual([]);
    expect(await prisma().backupEvent.count({ where: { kind: "clear-archive" } })).toBe(0);
  });

  it("lists every copy still on the disk, newest first, with its size and time, and nothing else", async () => {
    seededDatabase(50);
    const outcome = await clearArchive({ actor: "tester", silent: true });
    fs.writeFileSync(path.join(archiveCopiesDir(), "archived_measurements_2020-01-02_03-04-05.json"), "[]");
    fs.writeFileSync(path.join(archiveCopiesDir(), "notes.txt"), "not a copy");
    expect(listArchiveCopies()).toEqual([
      { name: outcome.copy, bytes: outcome.copyBytes, takenAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
      { name: "archived_measurements_2020-01-02_03-04-05.json", bytes: 2, takenAt: "2020-01-02T03:04:05.000Z" },
    ]);
    fs.rmSync(archiveCopyByName(outcome.copy)!);
    expect(listArchiveCopies().map((c) => c.name)).toEqual(["archived_measurements_2020-01-02_03-04-05.json"]);
  });
});
