// backup:push one step at a time, each with one small push to a real S3-protocol server (s3rver
// on 127.0.0.1): what it names, uploads, deletes and records, what it leaves on disk, and each
// way a push from the backup API can fail. Quick on purpose (a mutation run runs these once per
// mutant); push.test.ts has the simulated weeks of retention and the CLI restores.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { gunzipSync } from "node:zlib";

import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { GET as handleBackupApiRequest } from "@/app/schedule/api/backup/database/route";
import { POST as handleStoredReport } from "@/app/schedule/api/backup/stored/route";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { dataDir } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { formatBytes, formatCount, formatDuration } from "@/lib/format";
import { pushBackup, storedReportUrl } from "@/lib/offsite/push";
import { pushTarget } from "@/lib/offsite/targets";
import { TargetError } from "@/lib/offsite/targets/target";
import { offsiteStatus } from "@/lib/offsite/watch";
import { mutated, records } from "@/tests/support/backup";
import { seededDatabase, tempDir } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { ageKeyPair, testKey } from "@/tests/support/keys";
import { startS3, type RunningS3 } from "@/tests/support/s3";

let s3: RunningS3;
const KEY = testKey("push-steps");
const changed: string[] = [];
const servers: http.Server[] = [];

function useEnv(values: Record<string, string>) {
  changed.push(...Object.keys(values));
  setEnv(values);
}
const useS3 = (prefix: string, extra: Record<string, string> = {}) => useEnv({ ...s3.env(prefix), ...extra });

beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
});
afterEach(() => {
  setEnv(Object.fromEntries(changed.splice(0).map((name) => [name, undefined])));
  for (const server of servers.splice(0)) server.close();
});

/** The push work folders (plaintext backups) left in the data folder. */
const workFolders = () =>
  (fs.existsSync(dataDir()) ? fs.readdirSync(dataDir()) : []).filter((n) => n.startsWith("push-"));

/** A gzip member's first two bytes (RFC 1952): what a .json.gz must start with. */
const isGzip = (bytes: Buffer) => bytes[0] === 0x1f && bytes[1] === 0x8b;

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

async function download(key: string): Promise<Buffer> {
  const out = path.join(tempDir(), path.basename(key));
  await pipeline(await pushTarget().read(key), fs.createWriteStream(out));
  return fs.readFileSync(out);
}

const pushes = () => prisma().backupEvent.findMany({ where: { kind: "push" }, orderBy: { id: "asc" } });

interface ApiOptions {
  /** Changes the export request before the real handler answers it (an older server, say). */
  request?: (url: URL) => void;
  /** Changes the export's answer before it is sent (a damaged copy, say). */
  answer?: (res: Response) => Promise<Response>;
  /** Answers the store report instead of the real handler. */
  stored?: (req: http.IncomingMessage, res: http.ServerResponse) => void;
}

/** The backup API's real handlers, served over HTTP from this process on the test's database. */
async function serveApi(asked: { method: string; url: string; authorization?: string }[], options: ApiOptions = {}) {
  const server = http.createServer(async (req, res) => {
    asked.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
    if (req.url?.includes("/stored/") && options.stored) return options.stored(req, res);
    const url = new URL(`http://127.0.0.1${req.url}`);
    options.request?.(url);
    const body = req.method === "POST" ? await new Response(Readable.toWeb(req) as ReadableStream).text() : undefined;
    const request = new Request(url, { method: req.method, headers: req.headers as Record<string, string>, body });
    let answer = url.pathname.endsWith("/stored/")
      ? await handleStoredReport(request)
      : await handleBackupApiRequest(request);
    if (options.answer && answer.ok && !url.pathname.endsWith("/stored/")) answer = await options.answer(answer);
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    if (answer.body) Readable.fromWeb(answer.body as never).pipe(res);
    else res.end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/schedule/api/backup/database/`;
}

describe("backup:push, step by step", () => {
  it("names the backup by now, uploads it verified with its SHA-256, records it in History and says what it did", async () => {
    seededDatabase(5);
    useS3("steps-basic");
    const lines: string[] = [];
    const before = Date.now();
    const pushed = await pushBackup({ log: (l) => lines.push(l) });
    const after = Date.now();

    const stamp = /^database_backup_(\d{4}-\d{2}-\d{2})_(\d{2})-(\d{2})-(\d{2})\.json\.gz$/.exec(pushed.name)!;
    const named = Date.parse(`${stamp[1]}T${stamp[2]}:${stamp[3]}:${stamp[4]}Z`);
    expect(named).toBeGreaterThan(before - 1000);
    expect(named).toBeLessThanOrEqual(after);

    const [listed, ...others] = await pushTarget().list();
    expect(others).toEqual([]);
    const bytes = await download(listed!.key);
    expect(isGzip(bytes)).toBe(true);
    expect(listed).toMatchObject({ name: pushed.name, bytes: bytes.length, sha256: sha256(bytes), verified: true });
    expect(pushed.uploaded).toMatchObject({ name: pushed.name, sha256: sha256(bytes), verified: true });
    expect(pushed.bytes).toBe(bytes.length);
    expect(pushed.removed).toEqual([]);
    expect(pushed.kept.map((b) => b.name)).toEqual([pushed.name]);

    // Every record the backup holds, counted as the verifier counts them.
    const file = path.join(tempDir(), pushed.name);
    fs.writeFileSync(file, bytes);
    const report = await verifyBackupFile(file);
    expect(report.ok && report.complete && report.digest).toBe("verified");
    const count = Object.values(report.counts).reduce((a, b) => a + b, 0);
    expect(pushed.records).toBe(count);
    expect(count).toBeGreaterThan(Object.keys(report.counts).length);

    const [event, ...more] = await pushes();
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      result: "ok",
      source: "cli",
      actor: "backup:push",
      bytes: bytes.length,
      sha256: sha256(bytes),
      detail: `${formatCount(count)} records to s3://lab-backups/steps-basic as ${pushed.name}; 0 old backup(s) deleted`,
    });
    expect(event!.startedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(event!.startedAt.getTime()).toBeLessThanOrEqual(after);

    const size = formatBytes(bytes.length);
    expect(lines.slice(0, -1)).toEqual([
      `Made and verified ${pushed.name}: ${formatCount(count)} records, ${size}.`,
      `Uploaded ${pushed.name} (${size}, SHA-256 ${sha256(bytes)}) to s3://lab-backups/steps-basic.`,
      "Keeping 1 backup(s) in s3://lab-backups/steps-basic: every backup of the last 48 hours, and the newest of each of the last 14 days and of the last 8 Sundays.",
    ]);
    expect(lines.at(-1)).toBe(`Done in ${formatDuration(pushed.seconds * 1000)}.`);
    expect(pushed.seconds).toBeGreaterThan(0);
    expect(pushed.seconds).toBeLessThan((after - before) / 1000 + 0.001);
    expect(workFolders()).toEqual([]);
  });

  it("records who pushed as given (the schedule names itself)", async () => {
    seededDatabase(3);
    useS3("steps-actor");
    await pushBackup({ date: new Date("2026-11-02T00:00:00Z"), source: "schedule", actor: "in-app schedule" });
    expect(await pushes()).toMatchObject([{ result: "ok", source: "schedule", actor: "in-app schedule" }]);
  });

  it("deletes the backups retention no longer keeps, keeps the one it uploaded, and says so", async () => {
    seededDatabase(3);
    useS3("steps-retention", { BACKUP_KEEP_DAILY: "1", BACKUP_KEEP_WEEKLY: "0" });
    const first = await pushBackup({ date: new Date("2026-11-02T00:00:00Z") });
    const lines: string[] = [];
    const second = await pushBackup({ date: new Date("2026-11-05T00:00:00Z"), log: (l) => lines.push(l) });
    expect(second.removed.map((b) => b.name)).toEqual([first.name]);
    expect(second.kept.map((b) => b.name)).toEqual([second.name]);
    expect((await pushTarget().list()).map((b) => b.name)).toEqual([second.name]);
    expect(lines).toContain(`Deleted ${first.name} (${formatBytes(first.bytes)}).`);
    expect(lines).toContain(
      "Keeping 1 backup(s) in s3://lab-backups/steps-retention: every backup of the last 48 hours, and the newest of each of the last 1 days and of the last 0 Sundays.",
    );
    expect((await pushes()).at(-1)!.detail).toMatch(/; 1 old backup\(s\) deleted$/);
  });

  it("with a key that may not delete (append-only), stores the copy and counts it, and History and the status say old backups were kept", async () => {
    seededDatabase(3);
    useS3("steps-append-only", { BACKUP_KEEP_DAILY: "1", BACKUP_KEEP_WEEKLY: "0" });
    const first = await pushBackup({ date: new Date("2026-11-02T00:00:00Z") });
    s3.refuseDeletes(true);
    const lines: string[] = [];
    const second = await pushBackup({ date: new Date("2026-11-05T00:00:00Z"), log: (l) => lines.push(l) }).finally(() =>
      s3.refuseDeletes(false),
    );
    const why = second.retentionError!;
    expect(why).toBe(
      "Could not delete database_backup_2026-11-02_00-00-00.json.gz: s3://lab-backups/steps-append-only refused to delete it (AccessDenied): the access key may not delete (s3:DeleteObject), as with an append-only key.",
    );
    expect(second.uploaded?.name).toBe("database_backup_2026-11-05_00-00-00.json.gz");
    expect(second.removed).toEqual([]);
    expect(lines).toContain(`${second.name} is stored, but old backups were not deleted: ${why}`);
    expect((await pushTarget().list()).map((b) => b.name)).toEqual([second.name, first.name]);
    expect(await pushes()).toMatchObject([
      { result: "ok" },
      {
        result: "ok",
        detail: expect.stringMatching(
          new RegExp(`as ${second.name}; 0 old backup\\(s\\) deleted; old backups were not deleted: Could not delete`),
        ),
      },
    ]);
    const status = await offsiteStatus();
    expect(status.level).toBe("ok");
    expect(status.lastPush).toMatchObject({
      ok: true,
      warning: `Old backups were not deleted: ${why.replace(/\.$/, "")}`,
    });
  });

  it("a dry run uploads, deletes and records nothing, counts the backup it would make, and leaves no file behind", async () => {
    seededDatabase(3);
    useS3("steps-dry-run", { BACKUP_KEEP_DAILY: "1", BACKUP_KEEP_WEEKLY: "0" });
    const real = await pushBackup({ date: new Date("2026-11-02T00:00:00Z") });
    const lines: string[] = [];
    const dry = await pushBackup({ date: new Date("2026-11-05T00:00:00Z"), dryRun: true, log: (l) => lines.push(l) });
    expect(dry.uploaded).toBeNull();
    // Retention counts the backup the dry run would upload: the real one would make way for it.
    expect(dry.removed.map((b) => b.name)).toEqual([real.name]);
    expect(dry.kept.map((b) => b.name)).toEqual(["database_backup_2026-11-05_00-00-00.json.gz"]);
    expect(lines[1]).toMatch(
      /^Would upload database_backup_2026-11-05_00-00-00\.json\.gz \([^)]+, SHA-256 [0-9a-f]{64}\) to s3:\/\/lab-backups\/steps-dry-run\.$/,
    );
    expect(lines).toContain(`Would delete ${real.name} (${formatBytes(real.bytes)}).`);
    expect((await pushTarget().list()).map((b) => b.name)).toEqual([real.name]);
    expect((await pushes()).length).toBe(1);
    expect(workFolders()).toEqual([]);
  });

  it("a failed push is recorded as failed with its reason, and leaves no plaintext behind", async () => {
    seededDatabase(3);
    useS3("steps-denied", { AWS_ACCESS_KEY_ID: "NOT-THE-KEY", AWS_SECRET_ACCESS_KEY: "not-the-secret-4c2" });
    const error = await pushBackup({ date: new Date("2026-11-02T00:00:00Z") }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect(await pushes()).toMatchObject([{ result: "failed", detail: (error as Error).message }]);
    expect(workFolders()).toEqual([]);
  });

  it("encrypts for BACKUP_ENCRYPT_TO: uploads only the .age file, which the reference tool opens, and removes the plaintext before the upload", async () => {
    seededDatabase(3);
    const dir = tempDir("labq-age-");
    const { keyFile, recipient } = ageKeyPair(dir);
    useS3("steps-encrypted", { BACKUP_ENCRYPT_TO: recipient });
    const lines: string[] = [];
    let filesWhenEncrypted: string[] = [];
    const pushed = await pushBackup({
      date: new Date("2026-11-02T00:00:00Z"),
      log: (line) => {
        lines.push(line);
        if (line.startsWith("Encrypted"))
          filesWhenEncrypted = workFolders().flatMap((f) => fs.readdirSync(path.join(dataDir(), f)));
      },
    });
    expect(pushed.name).toBe("database_backup_2026-11-02_00-00-00.json.gz.age");
    expect(lines[1]).toBe("Encrypted it for 1 key(s): database_backup_2026-11-02_00-00-00.json.gz.age.");
    expect(filesWhenEncrypted).toEqual(["database_backup_2026-11-02_00-00-00.json.gz.age"]);
    expect((await pushTarget().list()).map((b) => b.name)).toEqual([pushed.name]);
    const sealed = await download(pushed.uploaded!.key);
    expect(sha256(sealed)).toBe(pushed.uploaded!.sha256);
    const sealedFile = path.join(dir, pushed.name);
    fs.writeFileSync(sealedFile, sealed);
    const plain = path.join(dir, "plain.json");
    fs.writeFileSync(plain, gunzipSync(execFileSync("age", ["-d", "-i", keyFile, sealedFile])));
    expect((await verifyBackupFile(plain)).digest).toBe("verified");
    expect(workFolders()).toEqual([]);
  });
});

describe("backup:push --from-api, step by step", () => {
  function useApi(prefix: string) {
    seededDatabase(3);
    useEnv({ BACKUP_API_KEY: KEY });
    useS3(prefix);
  }

  it("asks for the gzipped export with the key, uploads it, and reports it stored once: only the app records it", async () => {
    useApi("api-ok");
    const asked: { method: string; url: string; authorization?: string }[] = [];
    const url = await serveApi(asked);
    const lines: string[] = [];
    const pushed = await pushBackup({
      fromApi: { url, key: KEY },
      date: new Date("2026-11-02T00:00:00Z"),
      log: (l) => lines.push(l),
    });
    expect(lines).toContain(`Reported ${pushed.name} stored to the app.`);
    expect(asked.map((a) => `${a.method} ${a.url}`)).toEqual([
      "GET /schedule/api/backup/database/?format=json.gz",
      "POST /schedule/api/backup/stored/",
    ]);
    expect(asked.every((a) => a.authorization === `Bearer ${KEY}`)).toBe(true);
    const [stored] = await pushTarget().list();
    expect(stored).toMatchObject({ name: pushed.name, verified: true });
    // One push in History, the app's (from the report): this process has no database of its own there.
    expect(await pushes()).toMatchObject([
      {
        result: "ok",
        source: "api",
        bytes: stored!.bytes,
        sha256: stored!.sha256,
        detail: `${pushed.name} stored in s3://lab-backups/api-ok (${formatBytes(stored!.bytes)})`,
      },
    ]);
    expect((await offsiteStatus()).level).toBe("ok");
  });

  it("gzips the plain JSON an older server answers with, so the upload still verifies", async () => {
    useApi("api-plain");
    // A server from before format=json.gz ignores it and sends the JSON document.
    const url = await serveApi([], { request: (u) => u.searchParams.delete("format") });
    const pushed = await pushBackup({ fromApi: { url, key: KEY }, date: new Date("2026-11-02T00:00:00Z") });
    const file = path.join(tempDir(), pushed.name);
    fs.writeFileSync(file, await download(pushed.uploaded!.key));
    // The verifier reads plain JSON too: only the bytes tell whether the .json.gz is gzipped.
    expect(isGzip(fs.readFileSync(file))).toBe(true);
    expect((await verifyBackupFile(file)).digest).toBe("verified");
  });

  it("a dry run from the API reports nothing stored, and the status stays as it was", async () => {
    useApi("api-dry-run");
    const asked: { method: string; url: string }[] = [];
    const url = await serveApi(asked);
    await pushBackup({ fromApi: { url, key: KEY }, dryRun: true });
    expect(asked.map((a) => a.method)).toEqual(["GET"]);
    expect(await pushTarget().list()).toEqual([]);
    expect(await pushes()).toEqual([]);
    expect((await offsiteStatus()).level).toBe("never");
  });

  it("a missing, refused or unconfigured key, or an unreachable API, is a clear error and uploads nothing", async () => {
    useApi("api-refused");
    const url = await serveApi([]);
    const failure = (key: string, at = url) =>
      pushBackup({ fromApi: { url: at, key } }).then(
        () => "pushed",
        (e: Error) => e.message,
      );
    expect(await failure("")).toBe("The backup API refused the key (401): BACKUP_API_KEY does not match the server's.");
    expect(await failure(testKey("another"))).toBe(
      "The backup API refused the key (403): BACKUP_API_KEY does not match the server's.",
    );
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const gone = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/schedule/api/backup/database/`;
    await new Promise((r) => closed.close(r));
    expect(await failure(KEY, gone)).toMatch(
      new RegExp(`^Could not reach the backup API at ${gone.replaceAll(".", "\\.")}: fetch failed\\.$`),
    );
    setEnv({ BACKUP_API_KEY: undefined });
    expect(await failure(KEY)).toBe("The backup API answered 503.");
    expect(await pushTarget().list()).toEqual([]);
    expect(workFolders()).toEqual([]);
  });

  it("uploads nothing when the export does not verify: records changed on the way, or no digest to check (the old Django app's)", async () => {
    useApi("api-unverified");
    const changedOnTheWay = await serveApi([], {
      request: (u) => u.searchParams.delete("format"),
      answer: async (res) => {
        const text = mutated(
          await res.text(),
          (doc) => {
            records(doc, "calendarEditor.Machine")[0]!.fields.name = "changed on the way";
            records(doc, "calendarEditor.QueuePreset").pop();
          },
          { resign: false },
        );
        return new Response(text, { headers: { "Content-Type": "application/json" } });
      },
    });
    const changed = await pushBackup({ fromApi: { url: changedOnTheWay, key: KEY } }).catch((e: Error) => e);
    // Every problem, each in its own words.
    expect((changed as Error).message).toMatch(
      /^The backup did not verify, so nothing was uploaded: Count mismatch for "calendarEditor\.QueuePreset"[^;]*; Digest mismatch/,
    );

    const django = fs.readFileSync("tests/fixtures/django-real/database_backup_2026-02-12_07-32-28.json");
    const noDigest = await serveApi([], {
      answer: async () => new Response(django, { headers: { "Content-Type": "application/json" } }),
    });
    const unchecked = await pushBackup({ fromApi: { url: noDigest, key: KEY } }).catch((e: Error) => e);
    expect((unchecked as Error).message).toBe(
      "The backup did not verify, so nothing was uploaded: A backup from the original Django app (no format_version): it carries no digest or record counts to check.",
    );

    // Digest and counts made to match, but the records do not hold together.
    const duplicated = await serveApi([], {
      request: (u) => u.searchParams.delete("format"),
      answer: async (res) => {
        const text = mutated(await res.text(), (doc) => {
          const machines = records(doc, "calendarEditor.Machine");
          machines.push({ ...machines[0]! });
        });
        return new Response(text, { headers: { "Content-Type": "application/json" } });
      },
    });
    const broken = await pushBackup({ fromApi: { url: duplicated, key: KEY } }).catch((e: Error) => e);
    expect((broken as Error).message).toMatch(
      /^The backup did not verify, so nothing was uploaded: .*calendarEditor\.Machine/,
    );
    expect(await pushTarget().list()).toEqual([]);
    expect(workFolders()).toEqual([]);
  });

  it("fails when the app refuses or cannot take the store report: the copy is in S3 but does not count", async () => {
    useApi("api-report-refused");
    const refusing = await serveApi([], { stored: (_req, res) => void res.writeHead(503).end() });
    const refused = await pushBackup({ fromApi: { url: refusing, key: KEY }, date: new Date("2026-11-02T00:00:00Z") })
      .then(() => "pushed")
      .catch((e: Error) => e.message);
    expect(refused).toBe(
      "database_backup_2026-11-02_00-00-00.json.gz is stored, but the app refused the report (503).",
    );
    const dropping = await serveApi([], { stored: (req) => req.socket.destroy() });
    const dropped = await pushBackup({ fromApi: { url: dropping, key: KEY }, date: new Date("2026-11-03T00:00:00Z") })
      .then(() => "pushed")
      .catch((e: Error) => e.message);
    expect(dropped).toBe(
      "database_backup_2026-11-03_00-00-00.json.gz is stored, but the app could not be told (fetch failed).",
    );
    expect((await pushTarget().list()).length).toBe(2);
    expect(await pushes()).toEqual([]);
    expect((await offsiteStatus()).level).toBe("never");
  });

  it("reports the copy stored with old backups that could not be deleted (an append-only key): it counts, and the app says so", async () => {
    useApi("api-append-only");
    useEnv({ BACKUP_KEEP_DAILY: "1", BACKUP_KEEP_WEEKLY: "0" });
    const url = await serveApi([]);
    await pushBackup({ fromApi: { url, key: KEY }, date: new Date("2026-11-02T00:00:00Z") });
    s3.refuseDeletes(true);
    const pushed = await pushBackup({ fromApi: { url, key: KEY }, date: new Date("2026-11-05T00:00:00Z") }).finally(
      () => s3.refuseDeletes(false),
    );
    expect(pushed.retentionError).toMatch(
      /^Could not delete database_backup_2026-11-02_00-00-00\.json\.gz: .*AccessDenied/,
    );
    expect((await pushTarget().list()).map((b) => b.name)).toEqual([
      "database_backup_2026-11-05_00-00-00.json.gz",
      "database_backup_2026-11-02_00-00-00.json.gz",
    ]);
    expect((await pushes()).map((p) => p.detail)).toEqual([
      expect.stringMatching(/^database_backup_2026-11-02_00-00-00\.json\.gz stored in [^;]+$/),
      `database_backup_2026-11-05_00-00-00.json.gz stored in s3://lab-backups/api-append-only (${formatBytes(pushed.bytes)}); old backups were not deleted: ${pushed.retentionError}`,
    ]);
    // Manage Storage says what is left to do, as for a push from the app itself.
    expect((await offsiteStatus()).lastPush).toMatchObject({
      ok: true,
      warning: `Old backups were not deleted: ${pushed.retentionError!.replace(/\.$/, "")}`,
    });
  });

  it("an upload cut mid-way is not reported stored", async () => {
    useApi("api-cut");
    const asked: { method: string; url: string }[] = [];
    const url = await serveApi(asked);
    s3.cutAfter(1024);
    const error = await pushBackup({ fromApi: { url, key: KEY } }).catch((e: Error) => e);
    s3.heal();
    expect(error).toBeInstanceOf(TargetError);
    expect(asked.map((a) => a.method)).toEqual(["GET"]);
    expect(await pushes()).toEqual([]);
    expect(workFolders()).toEqual([]);
  });
});

describe("where a copy made from the API is reported stored", () => {
  it("is the export URL's sibling stored/, with or without the trailing slash, without the query", () => {
    for (const url of [
      "https://lab.example/schedule/api/backup/database/",
      "https://lab.example/schedule/api/backup/database",
      "https://lab.example/schedule/api/backup/database/?format=json.gz",
    ]) {
      expect(storedReportUrl(url).href).toBe("https://lab.example/schedule/api/backup/stored/");
    }
    // Only the last segment: an app served under a path that names a database keeps it.
    expect(storedReportUrl("https://lab.example/database/schedule/api/backup/database/").href).toBe(
      "https://lab.example/database/schedule/api/backup/stored/",
    );
  });
});
