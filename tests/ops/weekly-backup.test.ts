// The weekly off-site backup script and the restore drill, run for real: the app on a
// seeded database, a local bare git repository as the remote.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { openSqlite } from "@/lib/db/sqlite";
import { startApp, type RunningApp } from "@/tests/support/app-server";
import { seededDatabase, tempDir } from "@/tests/support/db";
import { ageKeyPair, testKey } from "@/tests/support/keys";

const KEY = testKey("ops-weekly-backup");
const BRANCH = "database-backups";
/** Weekly runs per retention test: two more than the 8 kept, so pruning is seen at work. */
const RUNS = 10;
const KEPT = 8;
let app: RunningApp;
let appDatabase: string;
let dir: string;
let remote: string;
let work: string;

const git = (args: string[], cwd = work) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
const branchHead = () =>
  spawnSync("git", ["--git-dir", remote, "rev-parse", "--verify", "--quiet", BRANCH], {
    encoding: "utf8",
  }).stdout.trim();

/** Every dated backup file (not .sha256, not latest) that any commit of the remote branch holds. */
function backupsInHistory(branch: string): string[] {
  const names = new Set<string>();
  for (const commit of git(["--git-dir", remote, "rev-list", branch], remote).split("\n")) {
    for (const file of git(["--git-dir", remote, "ls-tree", "-r", "--name-only", commit], remote).split("\n")) {
      const name = file.replace("backups/", "");
      if (/^database_backup_2[^/]*\.json(\.gz)?(\.age)?$/.test(name)) names.add(name);
    }
  }
  return [...names].sort();
}

/** Bytes of every object the remote branch's history reaches (what a clone of it downloads). */
function historyBytes(branch: string): number {
  return Number(git(["--git-dir", remote, "rev-list", "--objects", "--disk-usage", branch], remote));
}

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

/** What the app serves the workflows: the export as a .json.gz file. */
async function gzippedBackup(): Promise<Buffer> {
  const res = await fetch(`${app.url}/schedule/api/backup/database/?format=json.gz`, {
    headers: { Authorization: `Bearer ${KEY}` },
  });
  expect(res.headers.get("content-type")).toBe("application/gzip");
  return Buffer.from(await res.arrayBuffer());
}

/** A server that answers like the backup API but with whatever `respond` decides. */
async function fakeServer(
  respond: (attempt: number, res: http.ServerResponse, req: http.IncomingMessage) => void,
): Promise<{ url: string; close: () => void; attempts: () => number }> {
  let attempts = 0;
  const server = http.createServer((req, res) => respond(++attempts, res, req));
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
  appDatabase = seededDatabase(150, { activate: false });
  app = await startApp(
    {
      DATABASE_URL: `file:${appDatabase}`,
      DATA_DIR: path.join(dir, "data"),
      BACKUP_API_KEY: KEY,
      BACKUP_API_MAX_FAILURES: "100",
    },
    3219,
  );
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
  it("ten weekly runs leave a branch whose whole history holds the newest 8 backups, each verifying", async () => {
    const sundays = Array.from({ length: RUNS }, (_, i) => new Date(Date.UTC(2026, 0, 4 + 7 * i)).toISOString());
    for (const date of sundays) {
      const summary = path.join(dir, "step-summary.md");
      fs.rmSync(summary, { force: true });
      const run = await runBackup({ BACKUP_DATE: date, GITHUB_STEP_SUMMARY: summary });
      expect(run.status, run.stderr).toBe(0);
      const written = fs.readFileSync(summary, "utf8");
      expect(written).toContain("| Queue entries | 150 |");
      expect(written).toContain("| User profiles |");
      expect(written).toMatch(/file SHA-256: `[0-9a-f]{64}`/);
    }
    const kept = sundays.slice(-KEPT).map((d) => `database_backup_${d.slice(0, 10)}_00-00-00.json`);
    git(["fetch", "--quiet", "origin", BRANCH]);
    const listed = git(["ls-tree", "--name-only", "FETCH_HEAD", "backups/"])
      .split("\n")
      .map((f) => f.replace("backups/", ""));
    expect(listed.filter((f) => /^database_backup_2.*\.json$/.test(f))).toEqual(kept);
    expect(listed).toContain("database_backup_latest.json");
    expect(listed.filter((f) => f.endsWith(".sha256"))).toHaveLength(KEPT);

    // The whole history, on the remote: one commit per kept backup, and no other backup anywhere.
    expect(backupsInHistory(BRANCH)).toEqual(kept);
    expect(git(["--git-dir", remote, "rev-list", "--count", BRANCH], remote)).toBe(String(KEPT));
    expect(git(["--git-dir", remote, "log", "--format=%s", BRANCH], remote).split("\n").at(-1)).toBe(
      `Database backup ${kept[0]!.replace("database_backup_", "")}`,
    );
    expect(git(["--git-dir", remote, "show", `${BRANCH}:README.md`], remote)).toMatch(
      /whole history of this branch holds the newest 8/,
    );
    console.log(
      `Branch after ${RUNS} runs: ${historyBytes(BRANCH)} bytes in its history (${KEPT} backups at scale 150).`,
    );

    const out = tempDir("labq-ops-check-");
    for (const name of [...kept, "database_backup_latest.json"]) {
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

  it("a run that finds the branch moved under it pushes nothing over the other run's backup", async () => {
    // The hook runs after this run read the branch and before it pushes: another run lands first.
    const hook = path.join(work, ".git", "hooks", "pre-push");
    const other = path.join(dir, "other-run");
    fs.rmSync(other, { recursive: true, force: true });
    execFileSync("git", ["clone", "--quiet", "--branch", BRANCH, remote, other]);
    fs.writeFileSync(
      hook,
      `#!/bin/sh\nunset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\ncd "${other}" && echo other >other-run.txt && git add other-run.txt && git -c user.name=o -c user.email=o@example.org commit --quiet -m "other run" && git push --quiet origin HEAD:${BRANCH}\n`,
      { mode: 0o755 },
    );
    try {
      const run = await runBackup({ BACKUP_DATE: "2026-04-05T00:00:00Z" });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/changed while this run was working.*nothing was overwritten/);
    } finally {
      fs.rmSync(hook);
    }
    expect(git(["--git-dir", remote, "log", "-1", "--format=%s", BRANCH], remote)).toBe("other run");
    // The next run rebuilds from what is there, without the other run's stray file.
    const next = await runBackup({ BACKUP_DATE: "2026-04-05T00:00:00Z" });
    expect(next.status, next.stderr).toBe(0);
    expect(backupsInHistory(BRANCH)).toHaveLength(KEPT);
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

  it("asks for the .json.gz form, and retries a body cut short, then commits nothing", async () => {
    const good = await gzippedBackup();
    const asked: string[] = [];
    const server = await fakeServer((_n, res, req) => {
      asked.push(req.url ?? "");
      res.writeHead(200, { "Content-Type": "application/gzip" });
      res.end(good.subarray(0, Math.floor(good.length / 2)));
    });
    const before = branchHead();
    const run = await runBackup({ BACKUP_API_URL: server.url, BACKUP_RETRIES: "2" });
    server.close();
    expect(run.status).not.toBe(0);
    expect(asked).toEqual(Array(2).fill("/schedule/api/backup/database/?format=json.gz"));
    expect(run.stderr).toMatch(/Attempt 1 of 2 failed: the download was cut short/);
    expect(run.stderr).toMatch(/after 2 attempts \(last a download cut short\)/);
    expect(branchHead()).toBe(before);
  });

  it("refuses a whole gzip file that is not a sound backup: nothing committed", async () => {
    const good = gunzipSync(await gzippedBackup()).toString("utf8");
    const server = await fakeServer((_n, res) => {
      res.writeHead(200, { "Content-Type": "application/gzip" });
      res.end(gzipSync(good.slice(0, Math.floor(good.length / 2))));
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
    const good = await gzippedBackup();
    const asked: string[] = [];
    const flaky = await fakeServer((n, res, req) => {
      asked.push(`${req.method} ${req.url}`);
      if (req.method === "POST") return void res.writeHead(201).end("{}");
      if (n < 3) return void res.writeHead(502).end("bad gateway");
      res.writeHead(200, { "Content-Type": "application/gzip" }).end(good);
    });
    const recovered = await runBackup({
      BACKUP_API_URL: flaky.url,
      BACKUP_RETRIES: "3",
      BACKUP_DATE: "2026-06-07T00:00:00Z",
    });
    flaky.close();
    expect(recovered.status, recovered.stderr).toBe(0);
    // Three downloads, then the report that the copy is stored.
    expect(asked).toEqual([
      ...Array(3).fill("GET /schedule/api/backup/database/?format=json.gz"),
      "POST /schedule/api/backup/stored/",
    ]);

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

/** The drill reports its result to the app under test. */
const reportTo = {
  get BACKUP_API_URL() {
    return `${app.url}/schedule/api/backup/database/`;
  },
  BACKUP_API_KEY: KEY,
};

async function offsiteStatus(key?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${app.url}/schedule/api/backup/status/`, {
    headers: key ? { Authorization: `Bearer ${key}` } : {},
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("restore drill", () => {
  it("restores the newest backup from the branch into a scratch database and smoke-tests the app on it", async () => {
    const drill = await runScript("scripts/restore-drill.sh", {
      BACKUP_GIT_DIR: work,
      DRILL_PORT: "3218",
      ...reportTo,
    });
    expect(drill.status, `${drill.stdout}\n${drill.stderr}`).toBe(0);
    expect(drill.stdout).toContain("Restore drill passed");
    const status = await offsiteStatus(KEY);
    expect(Date.now() - Date.parse(status.body.last_restore_drill_at as string)).toBeLessThan(5 * 60_000);
    expect(status.body.last_restore_drill_ok).toBe(true);
  });

  it("fails loudly on a backup that does not restore", async () => {
    const broken = path.join(dir, "broken.json");
    const latest = execFileSync("git", ["show", `${BRANCH}:backups/database_backup_latest.json`], {
      cwd: remote,
      encoding: "utf8",
    });
    fs.writeFileSync(broken, latest.slice(0, latest.length - 500));
    const drill = await runScript(
      "scripts/restore-drill.sh",
      { BACKUP_GIT_DIR: work, DRILL_PORT: "3218", ...reportTo },
      [broken],
    );
    expect(drill.status).not.toBe(0);
    expect((await offsiteStatus(KEY)).body.last_restore_drill_ok).toBe(false);
    expect(drill.stdout).not.toContain("Restore drill passed");
    expect(drill.stderr + drill.stdout).toMatch(/truncated|incomplete/i);
  });
});

describe("encrypted weekly backups", () => {
  const ENCRYPTED = "encrypted-backups";

  it("ten runs with BACKUP_ENCRYPT_TO keep 8 .age backups in the whole history, no plaintext, and the drill restores the newest", async () => {
    const key = ageKeyPair(dir);
    const sundays = Array.from({ length: RUNS }, (_, i) => new Date(Date.UTC(2026, 2, 1 + 7 * i)).toISOString());
    for (const date of sundays) {
      const run = await runBackup({ BACKUP_BRANCH: ENCRYPTED, BACKUP_ENCRYPT_TO: key.recipient, BACKUP_DATE: date });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(key.identity);
    }
    const history = backupsInHistory(ENCRYPTED);
    expect(history).toEqual(sundays.slice(-KEPT).map((d) => `database_backup_${d.slice(0, 10)}_00-00-00.json.gz.age`));
    console.log(`Encrypted branch after ${RUNS} runs: ${historyBytes(ENCRYPTED)} bytes in its history.`);
    // No plaintext in any commit of the branch.
    const commits = git(["--git-dir", remote, "rev-list", ENCRYPTED], remote).split("\n");
    const grep = spawnSync("git", ["--git-dir", remote, "grep", "-c", "export_date", ...commits], { encoding: "utf8" });
    expect(grep.stdout).toBe("");
    expect(grep.status).toBe(1); // git grep: 1 = searched, nothing found

    const newest = path.join(dir, "newest.json.gz.age");
    fs.writeFileSync(
      newest,
      execFileSync("git", ["--git-dir", remote, "show", `${ENCRYPTED}:backups/database_backup_latest.json.gz.age`]),
    );
    const plain = path.join(dir, "newest.json.gz");
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
      BACKUP_AGE_IDENTITY: ageKeyPair(dir).identity,
      DRILL_PORT: "3218",
    });
    expect(drill.status).not.toBe(0);
    expect(drill.stdout + drill.stderr).toMatch(/encrypted for another key/);
  });
});

describe("watched", () => {
  function moveOffsiteBackups(daysAgo: number | "forget") {
    const db = openSqlite(appDatabase);
    if (daysAgo === "forget") db.prepare("DELETE FROM backup_event WHERE kind = 'push'").run();
    else {
      const when = new Date(Date.now() - daysAgo * 86_400_000).toISOString().replace("Z", "+00:00");
      db.prepare("UPDATE backup_event SET started_at = ? WHERE kind = 'push'").run(when);
    }
    db.close();
  }

  it("the status route answers 401 without the key, 403 with a wrong one, 200 while fresh, 503 when stale or never", async () => {
    expect((await offsiteStatus()).status).toBe(401);
    expect((await offsiteStatus("not-the-key")).status).toBe(403);

    const fresh = await offsiteStatus(KEY);
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ ok: true, max_age_hours: 192 });
    expect(fresh.body.age_hours as number).toBeLessThan(1);
    expect(Object.keys(fresh.body)).toEqual(
      expect.arrayContaining(["last_backup_at", "age_hours", "max_age_hours", "ok", "last_restore_drill_at"]),
    );

    moveOffsiteBackups(9);
    const stale = await offsiteStatus(KEY);
    expect(stale.status).toBe(503);
    expect(stale.body.ok).toBe(false);
    expect(stale.body.age_hours as number).toBeGreaterThanOrEqual(216);

    moveOffsiteBackups("forget");
    const never = await offsiteStatus(KEY);
    expect(never.status).toBe(503);
    expect(never.body).toMatchObject({ ok: false, last_backup_at: null, age_hours: null });

    // An export fetched with the key, but stored nowhere: still nothing off-site.
    const fetched = await fetch(`${app.url}/schedule/api/backup/database/`, {
      headers: { Authorization: `Bearer ${KEY}` },
    });
    expect(fetched.status).toBe(200);
    await fetched.arrayBuffer();
    expect((await offsiteStatus(KEY)).status).toBe(503);

    // The next weekly run stores a copy, reports it, and that makes it fresh again.
    expect((await runBackup({ BACKUP_DATE: "2026-05-03T00:00:00Z" })).status).toBe(0);
    expect((await offsiteStatus(KEY)).status).toBe(200);
  });

  it("the drill-result route takes only the key and a well-formed report", async () => {
    const post = (body: string, key?: string) =>
      fetch(`${app.url}/schedule/api/backup/drill/`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(key ? { Authorization: `Bearer ${key}` } : {}) },
        body,
      });
    expect((await post('{"ok":true}')).status).toBe(401);
    expect((await post('{"ok":true}', "not-the-key")).status).toBe(403);
    expect((await post("not json", KEY)).status).toBe(400);
    expect((await post('{"ok":"yes"}', KEY)).status).toBe(400);
    const before = (await offsiteStatus(KEY)).body.last_restore_drill_at;
    expect((await post('{"ok":true,"backup":"database_backup_latest.json"}', KEY)).status).toBe(201);
    expect((await offsiteStatus(KEY)).body.last_restore_drill_at).not.toBe(before);
  });

  it("the weekly run pings the heartbeat on success and …/fail on failure, without printing its URL", async () => {
    const pings: string[] = [];
    const monitor = await fakeServer((_n, res, req) => {
      pings.push(req.url!);
      res.writeHead(200).end("OK");
    });
    const heartbeat = monitor.url.replace("/schedule/api/backup/database/", "/ping/check-5f1e");
    const ok = await runBackup({ BACKUP_HEARTBEAT_URL: heartbeat, BACKUP_DATE: "2026-05-10T00:00:00Z" });
    const failed = await runBackup({ BACKUP_HEARTBEAT_URL: heartbeat, BACKUP_API_KEY: "not-the-key" });
    monitor.close();
    expect(ok.status, ok.stderr).toBe(0);
    expect(failed.status).not.toBe(0);
    expect(pings).toEqual(["/ping/check-5f1e", "/ping/check-5f1e/fail"]);
    expect(ok.stdout + ok.stderr + failed.stdout + failed.stderr).not.toContain("check-5f1e");
  });
});
