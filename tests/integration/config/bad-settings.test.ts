// `npm start` and the CLIs check the environment before they do anything: a bad value stops
// them with the variable's name, before a database is migrated or a file written.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { tempDir } from "@/tests/support/db";

function run(script: string, args: string[], env: Record<string, string>) {
  const dir = tempDir("labq-config-");
  const database = path.join(dir, "db.sqlite3");
  const result = spawnSync("node", [path.resolve("scripts/cli.mjs"), script, ...args], {
    env: { ...process.env, DATABASE_URL: `file:${database}`, DATA_DIR: path.join(dir, "data"), ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { ...result, dir, database };
}

describe("a bad setting", () => {
  it.each([
    ["MAX_DATABASE_SIZE_MB", "lots", "a number of megabytes above 0"],
    ["BACKUP_PUSH_EVERY", "banana", "a number and a unit"],
    ["MAX_UPLOAD_BYTES", "abc", "a whole number of bytes"],
    ["BACKUP_S3_URL", "bucket/prefix", "s3://bucket or s3://bucket/prefix"],
  ])("%s=%s stops npm start before it migrates, builds or serves, naming the variable", (name, value, accepts) => {
    const started = run("start", [], { [name]: value, PORT: "1" });
    expect(started.status).toBe(1);
    expect(started.stderr).toContain(`${name} must be ${accepts}`);
    expect(started.stdout).not.toMatch(/Database:|starting at/);
    expect(fs.existsSync(started.database)).toBe(false);
    expect(fs.readdirSync(started.dir)).toEqual([]);
  });

  it("stops a CLI the same way: db:backup writes no file", () => {
    const out = path.join(tempDir("labq-config-out-"), "b.json");
    const backup = run("backup", ["--out", out], { MAX_UPLOAD_BYTES: "abc" });
    expect(backup.status).toBe(1);
    expect(backup.stderr).toMatch(/^Error: A setting in the environment is not valid:\n {2}MAX_UPLOAD_BYTES must be/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
