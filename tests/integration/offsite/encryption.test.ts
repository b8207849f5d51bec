// Encrypted backups against the reference `age` tool (Debian's package): what we write, it
// opens; what it writes, we restore; a wrong or missing key is a clear refusal that changes
// nothing, and no key ever appears in what the CLIs print.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";

import { contentHash, seededDatabase, tableCounts, tempDir } from "@/tests/support/db";
import { ageKeyPair } from "@/tests/support/keys";

function cli(script: string, args: string[], database: string, env: Record<string, string> = {}) {
  const result = spawnSync("node", ["scripts/cli.mjs", script, ...args], {
    env: { ...process.env, DATABASE_URL: `file:${database}`, DATA_DIR: `${database}.data`, ...env },
    encoding: "utf8",
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe("encrypted backups", () => {
  it("writes .age files the reference tool decrypts, gzipped inside when asked, that verify", () => {
    const dir = tempDir("labq-age-");
    const source = seededDatabase(100, { activate: false });
    const key = ageKeyPair(dir);
    for (const name of ["b.json.age", "b.json.gz.age"]) {
      const out = path.join(dir, name);
      const made = cli("backup", ["--out", out, "--encrypt-to", key.recipient], source);
      expect(made.code, made.out).toBe(0);
      expect(fs.readFileSync(out).subarray(0, 21).toString()).toBe("age-encryption.org/v1");
      const plain = execFileSync("age", ["-d", "-i", key.keyFile, out]);
      const json = name.includes(".gz") ? gunzipSync(plain) : plain;
      const plainFile = path.join(dir, "plain.json");
      fs.writeFileSync(plainFile, json);
      expect(cli("verify-backup", [plainFile], source).code).toBe(0);
      expect(made.out).not.toContain(key.identity);
    }
  });

  it("restores a backup the reference tool encrypted, with --identity or BACKUP_AGE_IDENTITY", () => {
    const dir = tempDir("labq-age-");
    const key = ageKeyPair(dir);
    const source = seededDatabase(150, { activate: false, seed: 3 });
    const plain = path.join(dir, "backup.json");
    expect(cli("backup", ["--out", plain], source).code).toBe(0);
    const encrypted = path.join(dir, "backup.json.age");
    execFileSync("age", ["-r", key.recipient, "-o", encrypted, plain]);

    const verified = cli("verify-backup", [encrypted, "--identity", key.keyFile], source);
    expect(verified.code, verified.out).toBe(0);
    const target = seededDatabase(40, { activate: false, seed: 9 });
    const restored = cli("restore", [encrypted, "--yes", "--silent"], target, { BACKUP_AGE_IDENTITY: key.identity });
    expect(restored.code, restored.out).toBe(0);
    expect(tableCounts(target)).toEqual(tableCounts(source));
    expect(restored.out).not.toContain(key.identity);
    // The decrypted copy exists only while it is read.
    expect(fs.readdirSync(`${target}.data`).filter((f) => f.startsWith("decrypted-"))).toEqual([]);
  });

  it("refuses a wrong, missing or malformed key clearly, and changes nothing", () => {
    const dir = tempDir("labq-age-");
    const right = ageKeyPair(dir);
    const wrong = ageKeyPair(dir);
    const source = seededDatabase(60, { activate: false });
    const encrypted = path.join(dir, "b.json.age");
    expect(cli("backup", ["--out", encrypted, "--encrypt-to", right.recipient], source).code).toBe(0);
    const target = seededDatabase(30, { activate: false, seed: 4 });
    const before = contentHash(target);

    const withWrong = cli("restore", [encrypted, "--yes", "--identity", wrong.keyFile], target);
    expect(withWrong.code).toBe(1);
    expect(withWrong.out).toMatch(/encrypted for another key/);
    const withNone = cli("verify-backup", [encrypted], source);
    expect(withNone.out).toMatch(/This backup is encrypted \(age\)\. Give its private key/);
    const garbage = path.join(dir, "garbage.txt");
    fs.writeFileSync(garbage, "AGE-SECRET-KEY-1NOTAKEY\n");
    const withGarbage = cli("restore", [encrypted, "--yes", "--identity", garbage], target);
    expect(withGarbage.out).toMatch(/not an age private key/);
    expect(withGarbage.out).not.toContain("NOTAKEY");
    const truncated = path.join(dir, "cut.json.age");
    fs.writeFileSync(truncated, fs.readFileSync(encrypted).subarray(0, 400));
    expect(cli("restore", [truncated, "--yes", "--identity", right.keyFile], target).out).toMatch(
      /damaged or cut short/,
    );

    expect(contentHash(target)).toBe(before);
  });

  it("backup:keygen prints a pair the reference tool accepts, and says where each half goes", () => {
    const dir = tempDir("labq-age-");
    const { out } = cli("backup-keygen", [], path.join(dir, "unused.sqlite3"));
    const recipient = /(age1[0-9a-z]{58})/.exec(out)![1]!;
    const identity = /(AGE-SECRET-KEY-1[0-9A-Z]{58})/.exec(out)![1]!;
    expect(out).toMatch(/BACKUP_ENCRYPT_TO/);
    expect(out).toMatch(/password manager/);
    const keyFile = path.join(dir, "key.txt");
    fs.writeFileSync(keyFile, `${identity}\n`);
    const secret = path.join(dir, "secret.txt");
    fs.writeFileSync(secret, "lab data");
    execFileSync("age", ["-r", recipient, "-o", `${secret}.age`, secret]);
    expect(execFileSync("age", ["-d", "-i", keyFile, `${secret}.age`], { encoding: "utf8" })).toBe("lab data");
  });
});
