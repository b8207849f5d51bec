// Reading a backup file: which kind it is by its first bytes, progress while a large file is
// read, the exact refusal of a damaged gzip or SQLite file, the file's own SHA-256, and no
// file left open afterwards, read or refused.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import { gzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";

import { detectKind } from "@/lib/backup/verify/source";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { withSqlite } from "@/lib/db/sqlite";
import { exportText, mutated, records, snapshotWith, writeTemp } from "@/tests/support/backup";
import { seededDatabase } from "@/tests/support/db";

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const openFiles = () => fs.readdirSync("/proc/self/fd").length;

describe("reading a backup file", () => {
  it("tells gzip, SQLite and JSON apart by their first bytes, whatever the file is called", () => {
    const kind = (bytes: Buffer) => detectKind(writeTemp(bytes, "backup.bin"));
    expect(kind(Buffer.from([0x1f, 0x8b]))).toBe("json.gz");
    expect(kind(Buffer.from([0x1f]))).toBe("json");
    expect(kind(Buffer.from([0x1f, 0x7b]))).toBe("json");
    expect(kind(Buffer.from([0x7b, 0x8b]))).toBe("json");
    expect(kind(Buffer.from("SQLite format 3\0and the rest"))).toBe("sqlite");
    // 15 bytes: the magic without its final NUL is not a SQLite file.
    expect(kind(Buffer.from("SQLite format 3"))).toBe("json");
    expect(kind(Buffer.from('{"models": {}}'))).toBe("json");
  });

  it("reports progress about every 4 MiB of a large file and ends at 1; without a listener it just reads", async () => {
    const text = mutated(await exportText(seededDatabase(20, { activate: false, seed: 3 })), (doc) => {
      records(doc, "calendarEditor.QueueEntry")[0]!.fields.description = "measure ".repeat(13 * 131_072);
    });
    const file = writeTemp(text);
    const fractions: number[] = [];
    const report = await verifyBackupFile(file, { onProgress: ({ fraction }) => fractions.push(fraction) });
    expect(report.ok, report.problems.join("\n")).toBe(true);
    const mib = fs.statSync(file).size / 2 ** 20;
    expect(mib).toBeGreaterThan(13);
    const during = fractions.slice(0, -1);
    expect(during.length).toBeGreaterThanOrEqual(1);
    expect(during.length).toBeLessThanOrEqual(Math.floor(mib / 4));
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(during.every((f) => f > 0 && f < 1)).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    expect((await verifyBackupFile(file)).ok).toBe(true);
  });

  it("refuses a gzip file damaged in the middle, in words", async () => {
    const zipped = gzipSync(await exportText(seededDatabase(20, { activate: false })));
    zipped.fill(0xff, 200, 260);
    const report = await verifyBackupFile(writeTemp(zipped, "backup.json.gz"));
    expect(report).toMatchObject({ ok: false, kind: "json.gz", problems: ["The gzip file is damaged or cut short."] });
  });

  it("gives a SQLite snapshot's own SHA-256 and counts it complete", async () => {
    const file = await snapshotWith();
    const report = await verifyBackupFile(file);
    expect(report).toMatchObject({ ok: true, kind: "sqlite", complete: true, digest: "not-applicable" });
    expect(report.fileSha256).toBe(sha256(file));
  });

  it("refuses a snapshot whose index disagrees with its table, quoting SQLite's integrity check", async () => {
    const file = await snapshotWith();
    // The index keeps its entries but is declared over another column: every row is now
    // missing from it, which integrity_check reports while reading the table still works.
    const index = withSqlite(
      (db) =>
        db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'auth_user' AND sql IS NOT NULL")
          .pluck()
          .get() as string,
      file,
    );
    // The sqlite3 shell, because better-sqlite3 keeps the schema table read-only.
    execFileSync("sqlite3", [
      file,
      `PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = 'CREATE UNIQUE INDEX "${index}" ON "auth_user"("email")' WHERE name = '${index}';`,
    ]);
    const report = await verifyBackupFile(file);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatch(
      /^The SQLite file is damaged: (row \d+ missing from index|wrong # of entries).*; /,
    );
    expect(report.problems[0]!.split("; ")).toHaveLength(3);
  });

  it("refuses random bytes as neither a JSON export nor a SQLite snapshot, and calls one named like SQLite damaged", async () => {
    // Never "{" (or whitespace) first, never gzip's or SQLite's first bytes.
    const junk = Buffer.concat([Buffer.from([0x89]), randomBytes(8191)]);
    const neither =
      "This is not a backup this app can read: it is neither a JSON export nor a SQLite snapshot " +
      '(a SQLite file starts with "SQLite format 3").';
    const named = async (name: string) => (await verifyBackupFile(writeTemp(junk, name))).problems;
    expect(await named("lab.bin")).toEqual([neither]);
    expect(await named("backup.json")).toEqual([neither]);
    for (const name of ["lab.sqlite3", "lab.db", "LAB.SQLITE"]) {
      expect(await named(name)).toEqual([
        `${neither} Its name (${name}) says SQLite, but its first bytes are not a SQLite file's: it looks damaged. ` +
          "Try another copy of this backup.",
      ]);
    }
    // An upload is stored under an id: the name it came with is the one that counts.
    const stored = writeTemp(junk, "upload-3f2a");
    expect((await verifyBackupFile(stored, { fileName: "queue.sqlite3" })).problems[0]).toContain(
      "Its name (queue.sqlite3) says SQLite",
    );
    // A JSON list is what the archive's export is written as: said so, not "neither".
    expect((await verifyBackupFile(writeTemp(" \n[]"))).problems[0]).toMatch(
      /^This file is a bare list of records .* not a backup of the whole database/,
    );
  });

  it("still refuses a file with SQLite's header whose pages are damaged, by SQLite's own checks", async () => {
    const file = await snapshotWith();
    const bytes = fs.readFileSync(file);
    // Keep the 100-byte header, overwrite the rest of the first page and the pages after it.
    randomBytes(bytes.length - 100).copy(bytes, 100);
    fs.writeFileSync(file, bytes);
    const report = await verifyBackupFile(file);
    expect(report).toMatchObject({ ok: false, kind: "sqlite" });
    expect(report.problems[0]).toMatch(/^The SQLite file (is damaged|cannot be opened)/);
    expect(report.problems[0]).not.toContain("JSON");
  });

  it("leaves no file open, whether it read the file or refused it", async () => {
    const text = await exportText(seededDatabase(20, { activate: false }));
    const files = [
      writeTemp(text),
      writeTemp(gzipSync(text), "b.json.gz"),
      writeTemp(gzipSync(text).subarray(0, 900), "c.json.gz"),
      writeTemp(text.slice(0, 5000)),
      await snapshotWith(),
      writeTemp(Buffer.concat([Buffer.from("SQLite format 3\0"), Buffer.alloc(4000, 0x11)]), "d.sqlite3"),
    ];
    await verifyBackupFile(files[0]!); // first use opens what stays open (modules, the database)
    const before = openFiles();
    for (let round = 0; round < 3; round++) for (const file of files) await verifyBackupFile(file);
    expect(openFiles()).toBe(before);
  });
});
