// backup:push against a real S3-protocol server (s3rver on 127.0.0.1, no mocks of the SDK):
// retention over simulated dates, downloads that verify, restores from s3:// equal to the same
// file's, and an upload cut mid-way that leaves nothing listed.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { GET as handleBackupApiRequest } from "@/app/schedule/api/backup/database/route";
import { POST as handleStoredReport } from "@/app/schedule/api/backup/stored/route";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { dataDir } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { pushBackup } from "@/lib/offsite/push";
import { pushTarget } from "@/lib/offsite/targets";
import { TargetError } from "@/lib/offsite/targets/target";
import { offsiteStatus } from "@/lib/offsite/watch";
import { contentHash, seededDatabase, tempDir } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { testKey } from "@/tests/support/keys";
import { startS3, type RunningS3 } from "@/tests/support/s3";

let s3: RunningS3;
const KEY = testKey("push-from-api");
const changed: string[] = [];

function useS3(prefix: string, extra: Record<string, string> = {}) {
  const values = { ...s3.env(prefix), ...extra };
  changed.push(...Object.keys(values));
  setEnv(values);
}

/** Runs a CLI without blocking the event loop: the S3 server answers from this process. */
function cli(script: string, args: string[], database: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", ["scripts/cli.mjs", script, ...args], {
      env: { ...process.env, DATABASE_URL: `file:${database}`, DATA_DIR: `${database}.data` },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out }));
  });
}

beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
});
afterEach(() => {
  setEnv(Object.fromEntries(changed.splice(0).map((name) => [name, undefined])));
});

/**
 * Independent of lib/offsite/retention: the backups kept (by date) when the last push was at
 * `now`, by the rule as the issues state it: every backup of the last 48 hours, then the newest
 * of each of the last `daily` days and of the last `weekly` Sundays.
 */
function expectedKept(pushed: Date[], now: Date, daily: number, weekly: number): string[] {
  const iso = (d: Date) => d.toISOString();
  const newestOfDay = new Map<string, Date>();
  for (const d of pushed) {
    const day = iso(d).slice(0, 10);
    if (!newestOfDay.has(day) || newestOfDay.get(day)! < d) newestOfDay.set(day, d);
  }
  const days = [...newestOfDay.keys()].sort().reverse();
  const sundays = days.filter((d) => new Date(`${d}T12:00:00Z`).getUTCDay() === 0);
  const kept = new Set([...days.slice(0, daily), ...sundays.slice(0, weekly)].map((d) => iso(newestOfDay.get(d)!)));
  for (const d of pushed) if (now.getTime() - d.getTime() < 48 * 3_600_000) kept.add(iso(d));
  return [...kept].sort();
}

/**
 * The real API handlers, served over HTTP from this process (the database is the test's);
 * `stored` answers the store reports instead of the real handler when given.
 */
async function serveBackupApi(asked: string[], stored = handleStoredReport) {
  const api = http.createServer(async (req, res) => {
    asked.push(req.url ?? "");
    const body = req.method === "POST" ? await new Response(Readable.toWeb(req) as ReadableStream).text() : undefined;
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body,
    });
    const answer = req.url?.includes("/stored/") ? await stored(request) : await handleBackupApiRequest(request);
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    if (answer.body) Readable.fromWeb(answer.body as never).pipe(res);
    else res.end();
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  return { api, url: `http://127.0.0.1:${(api.address() as AddressInfo).port}/schedule/api/backup/database/` };
}

describe("backup:push to S3", () => {
  it("twenty daily pushes leave exactly the newest 14 dailies and the newest Sundays, each verified", async () => {
    seededDatabase(30);
    useS3("retention");
    const start = Date.UTC(2026, 8, 1, 2, 0, 0); // Tue 1 Sep 2026
    const pushed: Date[] = [];
    for (let i = 0; i < 20; i++) {
      const date = new Date(start + i * 86_400_000);
      pushed.push(date);
      await pushBackup({ date });
    }
    // A second push on the last day: the day's first backup is younger than 48 hours, so it stays.
    const last = new Date(start + 19 * 86_400_000 + 6 * 3_600_000);
    pushed.push(last);
    await pushBackup({ date: last });

    const listed = await pushTarget().list();
    const kept = listed.map((b) => b.date.toISOString()).sort();
    expect(kept).toEqual(expectedKept(pushed, last, 14, 8));
    // 14 dailies (7–20 Sep), the Sunday before them (6 Sep), and 20 Sep's first backup.
    expect(kept).toHaveLength(16);
    expect(kept).toContain("2026-09-20T02:00:00.000Z");
    expect(listed[0]!.name).toBe("database_backup_2026-09-20_08-00-00.json.gz");
    expect(listed.every((b) => b.verified && /^[0-9a-f]{64}$/.test(b.sha256!))).toBe(true);
  });

  it("never deletes a backup younger than 48 hours; after that, only the day's newest stays", async () => {
    seededDatabase(10);
    useS3("young");
    const first = new Date("2026-10-12T09:00:00Z");
    const soonAfter = new Date(first.getTime() + 90_000);
    await pushBackup({ date: first });
    const second = await pushBackup({ date: soonAfter });
    // The copy someone restored from 90 s ago is still there.
    expect(second.removed).toEqual([]);
    expect((await pushTarget().list()).map((b) => b.date.toISOString())).toEqual([
      soonAfter.toISOString(),
      first.toISOString(),
    ]);

    const nearly = await pushBackup({ date: new Date(first.getTime() + 47 * 3_600_000) });
    expect(nearly.removed).toEqual([]);
    const lines: string[] = [];
    const later = await pushBackup({ date: new Date(first.getTime() + 49 * 3_600_000), log: (l) => lines.push(l) });
    expect(later.removed.map((b) => b.date.toISOString())).toEqual([first.toISOString()]);
    expect(lines.join("\n")).toMatch(/every backup of the last 48 hours/);
    expect((await pushTarget().list()).map((b) => b.date.toISOString())).toEqual(
      expectedKept(
        [first, soonAfter, new Date(first.getTime() + 47 * 3_600_000), later.uploaded!.date],
        later.uploaded!.date,
        14,
        8,
      ).reverse(),
    );
  });

  it("a downloaded backup verifies and matches its recorded SHA-256", async () => {
    seededDatabase(40);
    useS3("download");
    const pushed = await pushBackup({ date: new Date("2026-10-04T00:00:00Z") });
    const file = path.join(tempDir(), pushed.name);
    await pipeline(await pushTarget().read(pushed.uploaded!.key), fs.createWriteStream(file));
    expect(createHash("sha256").update(fs.readFileSync(file)).digest("hex")).toBe(pushed.uploaded!.sha256);
    const report = await verifyBackupFile(file);
    expect(report.ok && report.complete && report.digest).toBe("verified");
    expect(report.counts["calendarEditor.QueueEntry"]).toBe(40);
  });

  it("db:restore s3://… changes the database exactly as the same file restored from disk", async () => {
    const source = seededDatabase(25, { seed: 4 });
    useS3("restore");
    const pushed = await pushBackup({ date: new Date("2026-10-05T00:00:00Z") });
    const local = path.join(tempDir(), pushed.name);
    await pipeline(await pushTarget().read(pushed.uploaded!.key), fs.createWriteStream(local));

    const fromS3 = seededDatabase(60, { activate: false, seed: 8 });
    const fromFile = seededDatabase(60, { activate: false, seed: 8 });
    const url = `s3://lab-backups/${pushed.uploaded!.key}`;
    const verify = await cli("verify-backup", [url], fromS3);
    expect(verify.code, verify.out).toBe(0);
    const a = await cli("restore", [url, "--yes", "--silent"], fromS3);
    const b = await cli("restore", [local, "--yes", "--silent"], fromFile);
    expect(a.code, a.out).toBe(0);
    expect(b.code, b.out).toBe(0);
    expect(contentHash(fromS3)).toBe(contentHash(fromFile));
    expect(contentHash(fromS3)).not.toBe(contentHash(seededDatabase(60, { activate: false, seed: 8 })));
    expect(source).toBeTruthy();

    const missing = await cli(
      "restore",
      ["s3://lab-backups/restore/database_backup_2001-01-01_00-00-00.json", "--yes"],
      fromS3,
    );
    expect(missing.code).not.toBe(0);
    expect(missing.out).toMatch(/has no such backup/);
  });

  it("--dry-run makes and verifies the backup but uploads, deletes and records nothing, and leaves no file behind", async () => {
    seededDatabase(10);
    useS3("dry-run", { BACKUP_KEEP_DAILY: "1", BACKUP_KEEP_WEEKLY: "0" });
    await pushBackup({ date: new Date("2026-10-06T00:00:00Z") });
    const lines: string[] = [];
    const result = await pushBackup({
      date: new Date("2026-10-09T00:00:00Z"),
      dryRun: true,
      log: (l) => lines.push(l),
    });
    expect(result.uploaded).toBeNull();
    expect(lines.join("\n")).toMatch(/Would upload database_backup_2026-10-09_00-00-00\.json\.gz/);
    expect(lines.join("\n")).toMatch(/Would delete database_backup_2026-10-06_00-00-00\.json\.gz/);
    expect((await pushTarget().list()).map((b) => b.name)).toEqual(["database_backup_2026-10-06_00-00-00.json.gz"]);
    // Only the real push is in History: a dry run must not count as a backup off-site.
    expect(await prisma().backupEvent.count({ where: { kind: "push" } })).toBe(1);
    // The plaintext made for the push is removed whatever happens.
    expect(fs.readdirSync(dataDir()).filter((name) => name.startsWith("push-"))).toEqual([]);
  });

  it("an upload cut mid-way leaves no object that lists as a backup", async () => {
    seededDatabase(5);
    useS3("cut");
    const target = pushTarget();
    const big = path.join(tempDir(), "database_backup_2026-10-08_00-00-00.json.gz");
    fs.writeFileSync(big, randomBytes(16 * 1024 * 1024)); // four 5 MiB parts: a multipart upload
    s3.cutAfter(7 * 1024 * 1024);
    await expect(target.write(path.basename(big), big, "0".repeat(64), true)).rejects.toThrow(TargetError);
    s3.heal();
    expect(await target.list()).toEqual([]);
  });

  it("--from-api backs up what the backup API serves, and a refused key uploads nothing", async () => {
    // The real API handler, served over HTTP from this process, on a database of its own.
    seededDatabase(15);
    setEnv({ BACKUP_API_KEY: KEY });
    const asked: string[] = [];
    const { api, url } = await serveBackupApi(asked);
    useS3("from-api");
    try {
      const refused = await pushBackup({ fromApi: { url, key: "wrong" } }).catch((e: Error) => e);
      expect((refused as Error).message).toMatch(/refused the key \(403\)/);
      expect(await pushTarget().list()).toEqual([]);
      expect((await offsiteStatus()).level).toBe("never");
      const pushed = await pushBackup({ fromApi: { url, key: KEY }, date: new Date("2026-10-10T00:00:00Z") });
      expect(pushed.records).toBeGreaterThan(15);
      expect((await pushTarget().list()).map((b) => b.name)).toEqual(["database_backup_2026-10-10_00-00-00.json.gz"]);
      // It asks for the gzipped form: the server compresses while it exports.
      expect(asked).toContain("/schedule/api/backup/database/?format=json.gz");
      // Then, once S3 has the copy, tells the app what is stored: only that counts as off-site.
      expect(asked.at(-1)).toBe("/schedule/api/backup/stored/");
      const [stored] = await pushTarget().list();
      const reported = await prisma().backupEvent.findFirstOrThrow({ where: { kind: "push", source: "api" } });
      expect(reported).toMatchObject({ result: "ok", bytes: stored!.bytes, sha256: stored!.sha256 });
      expect(reported.detail).toContain(`${stored!.name} stored in s3://`);
      expect((await offsiteStatus()).level).toBe("ok");
    } finally {
      setEnv({ BACKUP_API_KEY: undefined });
      api.close();
    }
  });

  it("--from-api fails when the app refuses the store report: the copy is in S3 but does not count", async () => {
    seededDatabase(15);
    setEnv({ BACKUP_API_KEY: KEY });
    const { api, url } = await serveBackupApi([], async () => new Response(null, { status: 503 }));
    useS3("from-api-refused");
    try {
      const failed = await pushBackup({ fromApi: { url, key: KEY }, date: new Date("2026-10-11T00:00:00Z") }).catch(
        (e: Error) => e,
      );
      expect((failed as Error).message).toBe(
        "database_backup_2026-10-11_00-00-00.json.gz is stored, but the app refused the report (503).",
      );
      expect((await pushTarget().list()).map((b) => b.name)).toEqual(["database_backup_2026-10-11_00-00-00.json.gz"]);
      expect((await offsiteStatus()).level).toBe("never");
      expect(await prisma().backupEvent.count({ where: { kind: "push" } })).toBe(0);
    } finally {
      setEnv({ BACKUP_API_KEY: undefined });
      api.close();
    }
  });

  it("with a key that may not delete, stores and records the copy, then fails saying old backups were not deleted", async () => {
    const database = seededDatabase(5);
    useS3("append-only-cli", { BACKUP_KEEP_DAILY: "1", BACKUP_KEEP_WEEKLY: "0" });
    expect((await cli("backup-push", ["--date", "2026-10-01T00:00:00Z"], database)).code).toBe(0);
    s3.refuseDeletes(true);
    const run = await cli("backup-push", ["--date", "2026-10-05T00:00:00Z"], database).finally(() =>
      s3.refuseDeletes(false),
    );
    expect(run.code, run.out).toBe(1);
    expect(run.out).toMatch(
      /database_backup_2026-10-05_00-00-00\.json\.gz is stored, but old backups were not deleted: Could not delete database_backup_2026-10-01_00-00-00\.json\.gz: /,
    );
    expect((await pushTarget().list()).map((b) => b.name)).toEqual([
      "database_backup_2026-10-05_00-00-00.json.gz",
      "database_backup_2026-10-01_00-00-00.json.gz",
    ]);
    const pushes = await prisma().backupEvent.findMany({ where: { kind: "push" }, orderBy: { id: "asc" } });
    expect(pushes.map((p) => p.result)).toEqual(["ok", "ok"]);
  });

  it("wrong credentials are a clear error that names the setting, and nothing is stored", async () => {
    seededDatabase(5);
    useS3("denied", { AWS_ACCESS_KEY_ID: "NOT-THE-KEY", AWS_SECRET_ACCESS_KEY: "not-the-secret-9d1" });
    const error = await pushBackup({ date: new Date("2026-10-09T00:00:00Z") }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as Error).message).toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    expect((error as Error).message).not.toContain("not-the-secret-9d1");
    useS3("denied");
    expect(await pushTarget().list()).toEqual([]);
  });
});
