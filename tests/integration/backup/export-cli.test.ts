// The db:backup and db:verify CLIs as users run them, each in a process of its own (so left
// out of mutation runs, whose changes live in the test process only: mutation/runs.mjs).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";

import { openSqlite } from "@/lib/db/sqlite";
import { exportFile, writeTemp } from "@/tests/support/backup";
import { contentHash, seededDatabase, tableCounts } from "@/tests/support/db";

describe("db:backup and db:verify CLIs", () => {
  const cli = (script: string, args: string[], env: Record<string, string> = {}, cwd = process.cwd()) =>
    spawnSync("node", [path.resolve("scripts/cli.mjs"), script, ...args], {
      env: { ...process.env, ...env },
      encoding: "utf8",
      cwd,
    });

  it("db:backup writes a file (gzip by extension) that db:verify accepts with exit code 0", async () => {
    const db = seededDatabase(200);
    const dir = fs.mkdtempSync("/tmp/labq-cli-");
    const out = `${dir}/b.json.gz`;
    const made = cli("backup", ["--out", out], { DATABASE_URL: `file:${db}` });
    expect(made.status, made.stderr).toBe(0);
    // The SHA-256 printed is the JSON document's own: `sha256sum` of the file once unzipped.
    const printed = /SHA-256 ([0-9a-f]{64})/.exec(made.stdout)![1];
    expect(printed).toBe(
      createHash("sha256")
        .update(gunzipSync(fs.readFileSync(out)))
        .digest("hex"),
    );
    expect(JSON.parse(gunzipSync(fs.readFileSync(out)).toString()).integrity.complete).toBe(true);
    const verified = cli("verify-backup", [out]);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toContain("OK: the backup is whole and restorable.");
    fs.rmSync(dir, { recursive: true });
  });

  it("db:backup, db:verify and db:restore work when started from another folder, as a cron job would", () => {
    // Their threads load the SQLite driver, and a restore the migrations, from the project
    // the script belongs to, wherever the process starts.
    const db = seededDatabase(200);
    const elsewhere = fs.mkdtempSync("/tmp/labq-cron-");
    const made = cli("backup", ["--out", "b.json"], { DATABASE_URL: `file:${db}` }, elsewhere);
    expect(made.status, made.stderr).toBe(0);
    const verified = cli("verify-backup", ["b.json"], {}, elsewhere);
    expect(verified.status, verified.stderr).toBe(0);
    const target = `${elsewhere}/restored.sqlite3`;
    const restored = cli("restore", ["b.json", "--yes", "--silent"], { DATABASE_URL: `file:${target}` }, elsewhere);
    expect(restored.status, restored.stderr).toBe(0);
    expect(tableCounts(target)).toEqual(tableCounts(db));
    fs.rmSync(elsewhere, { recursive: true });
  });

  it("db:verify rejects a truncated file and a changed record with a non-zero exit code", async () => {
    const db = seededDatabase(200, { activate: false });
    const file = await exportFile(db);
    const text = fs.readFileSync(file, "utf8");

    const truncated = cli("verify-backup", [writeTemp(text.slice(0, Math.floor(text.length / 2)))]);
    expect(truncated.status).toBe(2);
    expect(truncated.stdout).toMatch(/truncated/);

    const changed = text.replace('"is_read":true', '"is_read":false');
    expect(changed).not.toBe(text);
    const tampered = cli("verify-backup", [writeTemp(changed)]);
    expect(tampered.status).toBe(2);
    expect(tampered.stdout).toMatch(/Digest mismatch/);
  });

  it("db:backup --sqlite writes a snapshot that passes SQLite's integrity check", () => {
    const db = seededDatabase(100);
    const out = `${fs.mkdtempSync("/tmp/labq-snap-")}/snap.sqlite3`;
    const made = cli("backup", ["--sqlite", "--out", out], { DATABASE_URL: `file:${db}` });
    expect(made.status, made.stderr).toBe(0);
    const check = openSqlite(out, { readonly: true });
    expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(check.prepare("SELECT COUNT(*) FROM calendarEditor_queueentry").pluck().get()).toBe(100);
    check.close();
    expect(contentHash(out)).toBe(contentHash(db));
  });
});
