// The weekly off-site backup script and the restore drill, run for real: the app on a
// seeded database, a local bare git repository as the remote.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { startApp, type RunningApp } from "@/tests/support/app-server";
import { seededDatabase, tempDir } from "@/tests/support/db";

const KEY = "ops-test-backup-key-5b2e";
const BRANCH = "database-backups";
let app: RunningApp;
let dir: string;
let remote: string;
let work: string;

const git = (args: string[], cwd = work) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
const branchHead = () =>
  spawnSync("git", ["--git-dir", remote, "rev-parse", "--verify", "--quiet", BRANCH], {
    encoding: "utf8",
  }).stdout.trim();

interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script without blocking the event loop: the fake servers below answer from this process. */
function runScript(script: string, env: Record<string, string>, args: string[] = []): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [script, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function runBackup(env: Record<string, string>): Promise<ScriptRun> {
  return runScript("scripts/weekly-backup.sh", {
    BACKUP_API_URL: `${app.url}/schedule/api/backup/database/`,
    BACKUP_API_KEY: KEY,
    BACKUP_GIT_DIR: work,
    BACKUP_RETRY_DELAY: "0",
    BACKUP_TIMEOUT: "60",
    ...env,
  });
}

/** A server that answers like the backup API but with whatever `respond` decides. */
async function fakeServer(
  respond: (attempt: number, res: http.ServerResponse) => void,
): Promise<{ url: string; close: () => void; attempts: () => number }> {
  let attempts = 0;
  const server = http.createServer((_req, res) => respond(++attempts, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/schedule/api/backup/database/`,
    close: () => server.close(),
    attempts: () => attempts,
  };
}

beforeAll(async () => {
  dir = tempDir("labq-ops-");
  const db = seededDatabase(150, { activate: false });
  app = await startApp({ DATABASE_URL: `file:${db}`, DATA_DIR: path.join(dir, "data"), BACKUP_API_KEY: KEY }, 3219);
  remote = path.join(dir, "remote.git");
  work = path.join(dir, "work");
  execFileSync("git", ["init", "--quiet", "--bare", remote]);
  execFileSync("git", ["init", "--quiet", "-b", "main", work]);
  fs.writeFileSync(path.join(work, "README.md"), "project\n");
  git(["add", "README.md"]);
  git(["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "init"]);
  git(["remote", "add", "origin", remote]);
  git(["push", "--quiet", "origin", "main"]);
});

afterAll(async () => {
  await app?.stop();
});

describe("weekly backup to the database-backups branch", () => {
  it("ten weekly runs leave exactly the newest 8 dated backups plus latest, each verifying", async () => {
    const sundays = Array.from({ length: 10 }, (_, i) => new Date(Date.UTC(2026, 0, 4 + 7 * i)).toISOString());
    for (const date of sundays) {
      const summary = path.join(dir, "step-summary.md");
      fs.rmSync(summary, { force: true });
      const run = await runBackup({ BACKUP_DATE: date, GITHUB_STEP_SUMMARY: summary });
      expect(run.status, run.stderr).toBe(0);
      const written = fs.readFileSync(summary, "utf8");
      expect(written).toContain("| calendarEditor.QueueEntry | 150 |");
      expect(written).toMatch(/file SHA-256: `[0-9a-f]{64}`/);
    }
    git(["fetch", "--quiet", "origin", BRANCH]);
    const listed = git(["ls-tree", "--name-only", "FETCH_HEAD", "backups/"])
      .split("\n")
      .map((f) => f.replace("backups/", ""));
    const dated = listed.filter((f) => /^database_backup_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.json$/.test(f));
    expect(dated).toEqual(sundays.slice(2).map((d) => `database_backup_${d.slice(0, 10)}_00-00-00.json`));
    expect(listed).toContain("database_backup_latest.json");
    expect(listed.filter((f) => f.endsWith(".sha256"))).toHaveLength(8);
    expect(git(["rev-list", "--count", "FETCH_HEAD"])).toBe("10");

    const out = tempDir("labq-ops-check-");
    for (const name of [...dated, "database_backup_latest.json"]) {
      const file = path.join(out, name);
      fs.writeFileSync(file, execFileSync("git", ["show", `FETCH_HEAD:backups/${name}`], { cwd: work }));
      const report = await verifyBackupFile(file);
      expect(report.ok, `${name}: ${report.problems.join("; ")}`).toBe(true);
      if (name !== "database_backup_latest.json") {
        const recorded = execFileSync("git", ["show", `FETCH_HEAD:backups/${name}.sha256`], {
          cwd: work,
          encoding: "utf8",
        });
        expect(recorded).toBe(`${createHash("sha256").update(fs.readFileSync(file)).digest("hex")}  ${name}\n`);
      }
    }
  });

  it("a wrong key exits non-zero, says where to fix it, and commits nothing", async () => {
    const before = branchHead();
    const run = await runBackup({ BACKUP_API_KEY: "not-the-key" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/refused the key \(403\).*repository secret BACKUP_API_KEY/);
    expect(run.stderr + run.stdout).not.toContain(KEY);
    expect(branchHead()).toBe(before);
  });

  it("an empty key fails before any request", async () => {
    const before = branchHead();
    const run = await runBackup({ BACKUP_API_KEY: "" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/BACKUP_API_KEY is empty: add it as a repository secret/);
    expect(branchHead()).toBe(before);
  });

  it("a truncated body from the server commits nothing", async () => {
    const good = await (
      await fetch(`${app.url}/schedule/api/backup/database/`, { headers: { Authorization: `Bearer ${KEY}` } })
    ).text();
    const server = await fakeServer((_n, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(good.slice(0, Math.floor(good.length / 2)));
    });
    const before = branchHead();
    const run = await runBackup({ BACKUP_API_URL: server.url });
    server.close();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/truncated/);
    expect(run.stderr).toMatch(/did not verify; nothing was committed/);
    expect(branchHead()).toBe(before);
  });

  it("retries a failing server a bounded number of times", async () => {
    const good = await (
      await fetch(`${app.url}/schedule/api/backup/database/`, { headers: { Authorization: `Bearer ${KEY}` } })
    ).text();
    const flaky = await fakeServer((n, res) => {
      if (n < 3) return void res.writeHead(502).end("bad gateway");
      res.writeHead(200, { "Content-Type": "application/json" }).end(good);
    });
    const recovered = await runBackup({
      BACKUP_API_URL: flaky.url,
      BACKUP_RETRIES: "3",
      BACKUP_DATE: "2026-06-07T00:00:00Z",
    });
    flaky.close();
    expect(recovered.status, recovered.stderr).toBe(0);
    expect(flaky.attempts()).toBe(3);

    const down = await fakeServer((_n, res) => void res.writeHead(503).end());
    const before = branchHead();
    const failed = await runBackup({ BACKUP_API_URL: down.url, BACKUP_RETRIES: "2" });
    down.close();
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/after 2 attempts \(last status: 503\)/);
    expect(down.attempts()).toBe(2);
    expect(branchHead()).toBe(before);
  });
});

describe("restore drill", () => {
  it("restores the newest backup from the branch into a scratch database and smoke-tests the app on it", async () => {
    const drill = await runScript("scripts/restore-drill.sh", { BACKUP_GIT_DIR: work, DRILL_PORT: "3218" });
    expect(drill.status, `${drill.stdout}\n${drill.stderr}`).toBe(0);
    expect(drill.stdout).toContain("Restore drill passed");
  });

  it("fails loudly on a backup that does not restore", async () => {
    const broken = path.join(dir, "broken.json");
    const latest = execFileSync("git", ["show", `${BRANCH}:backups/database_backup_latest.json`], {
      cwd: remote,
      encoding: "utf8",
    });
    fs.writeFileSync(broken, latest.slice(0, latest.length - 500));
    const drill = await runScript("scripts/restore-drill.sh", { BACKUP_GIT_DIR: work, DRILL_PORT: "3218" }, [broken]);
    expect(drill.status).not.toBe(0);
    expect(drill.stdout).not.toContain("Restore drill passed");
    expect(drill.stderr + drill.stdout).toMatch(/truncated|incomplete/i);
  });
});

describe("encrypted weekly backups", () => {
  const ENCRYPTED = "encrypted-backups";

  function ageKey(): { keyFile: string; recipient: string; identity: string } {
    const keyFile = path.join(dir, `age-${Date.now()}.txt`);
    execFileSync("age-keygen", ["-o", keyFile], { stdio: "pipe" });
    const text = fs.readFileSync(keyFile, "utf8");
    return {
      keyFile,
      recipient: /public key: (age1\w+)/.exec(text)![1]!,
      identity: text.split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-"))!,
    };
  }

  it("with BACKUP_ENCRYPT_TO commits only .age files that the reference tool opens, and the drill restores them", async () => {
    const key = ageKey();
    for (const day of ["2026-03-01", "2026-03-08"]) {
      const run = await runBackup({
        BACKUP_BRANCH: ENCRYPTED,
        BACKUP_ENCRYPT_TO: key.recipient,
        BACKUP_DATE: `${day}T00:00:00Z`,
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(key.identity);
    }
    const files = git(["--git-dir", remote, "ls-tree", "-r", "--name-only", ENCRYPTED], remote).split("\n");
    const backups = files.filter((f) => f.startsWith("backups/") && !f.endsWith(".sha256"));
    expect(backups.length).toBe(3);
    expect(backups.every((f) => f.endsWith(".json.age"))).toBe(true);
    // No plaintext anywhere in the branch's history.
    const grep = spawnSync("git", ["--git-dir", remote, "grep", "-c", "export_date", ENCRYPTED], { encoding: "utf8" });
    expect(grep.stdout).toBe("");

    const newest = path.join(dir, "newest.json.age");
    fs.writeFileSync(
      newest,
      execFileSync("git", ["--git-dir", remote, "show", `${ENCRYPTED}:backups/database_backup_latest.json.age`]),
    );
    const plain = path.join(dir, "newest.json");
    execFileSync("age", ["-d", "-i", key.keyFile, "-o", plain, newest]);
    expect((await verifyBackupFile(plain)).ok).toBe(true);

    const drill = await runScript("scripts/restore-drill.sh", {
      BACKUP_GIT_DIR: work,
      BACKUP_BRANCH: ENCRYPTED,
      BACKUP_AGE_IDENTITY: key.identity,
      DRILL_PORT: "3218",
    });
    expect(drill.status, `${drill.stdout}\n${drill.stderr}`).toBe(0);
    expect(drill.stdout).toContain("Restore drill passed");
  });

  it("a drill with the wrong key fails clearly", async () => {
    const drill = await runScript("scripts/restore-drill.sh", {
      BACKUP_GIT_DIR: work,
      BACKUP_BRANCH: ENCRYPTED,
      BACKUP_AGE_IDENTITY: ageKey().identity,
      DRILL_PORT: "3218",
    });
    expect(drill.status).not.toBe(0);
    expect(drill.stdout + drill.stderr).toMatch(/encrypted for another key/);
  });
});
