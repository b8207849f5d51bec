// Safety snapshots found by name, a snapshot that cannot be written, a snapshot read back as a
// backup (no conversions needed), and the row counts every dry run compares with.
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { rowCounts } from "@/lib/backup/row-counts";
import { safetySnapshotByName, snapshotsDir, writeSafetySnapshot, writeSnapshot } from "@/lib/backup/snapshot";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { contentHash, seededDatabase, tableCounts, tempDir } from "@/tests/support/db";

describe("a safety snapshot by name", () => {
  it("is found by its exact name, and nothing else is: no other file, no path tricks", async () => {
    seededDatabase(5);
    const taken = await writeSafetySnapshot();
    expect(safetySnapshotByName(taken.name)).toMatchObject({ name: taken.name, file: taken.file, bytes: taken.bytes });
    fs.writeFileSync(path.join(snapshotsDir(), "notes.sqlite3"), "");
    expect(safetySnapshotByName("notes.sqlite3")).toBeNull();
    expect(safetySnapshotByName(`../snapshots/${taken.name}`)).toBeNull();
    expect(safetySnapshotByName(taken.name.replace(/_[0-9a-f]{6}\./, "_000000."))).toBeNull();
  });
});

describe("writing a snapshot", () => {
  it("copies the database exactly, and refuses a source that does not exist", async () => {
    const db = seededDatabase(20, { activate: false });
    const out = path.join(tempDir(), "copy.sqlite3");
    const written = await writeSnapshot(out, db);
    expect(written).toEqual({ file: out, bytes: fs.statSync(out).size, takenAt: expect.any(Date) });
    expect(contentHash(out)).toBe(contentHash(db));
    const missing = path.join(tempDir(), "missing.sqlite3");
    await expect(writeSnapshot(path.join(tempDir(), "x.sqlite3"), missing)).rejects.toThrow();
    expect(fs.existsSync(missing)).toBe(false);
  });

  it("that fails part-way leaves no part of itself", async () => {
    const db = seededDatabase(20, { activate: false });
    const out = path.join(tempDir(), "copy.sqlite3");
    fs.mkdirSync(`${out}.partial`); // SQLite cannot write where a folder is
    await expect(writeSnapshot(out, db)).rejects.toThrow();
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe("a snapshot read as a backup", () => {
  it("verifies with nothing to convert: its booleans, datetimes and JSON are already what the app stores", async () => {
    const db = seededDatabase(30, { activate: false, seed: 3 });
    const out = path.join(tempDir(), "snap.sqlite3");
    await writeSnapshot(out, db);
    const report = await verifyBackupFile(out);
    expect(report).toMatchObject({ ok: true, kind: "sqlite", notes: [], losses: [], problems: [] });
    expect(report.counts).toEqual(tableCounts(db));
    expect(report).toMatchObject({ formatVersion: 1, app: "lab-queue-admin sqlite snapshot" });
    expect(report.schemaVersion).toMatch(/^\d{14}_/);
  });
});

describe("row counts", () => {
  it("name every backed-up model with its label and rows", () => {
    const db = seededDatabase(30, { activate: false, seed: 3 });
    const counts = tableCounts(db);
    expect(rowCounts(db)).toEqual(BACKUP_MODELS.map((m) => ({ name: m.name, label: m.label, rows: counts[m.label] })));
  });
});
