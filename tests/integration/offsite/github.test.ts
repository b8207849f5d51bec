// The GitHub target reads the database-backups branch through GitHub's REST API. The machines
// cannot reach GitHub, so this runs against a local HTTP server that answers the two documented
// endpoints with the documented JSON shapes ("Get repository content", API version 2022-11-28):
//   GET /repos/{owner}/{repo}/contents/backups?ref=…   → an array of content entries
//   GET /repos/{owner}/{repo}/contents/backups/{name}?ref=… with Accept: application/vnd.github.raw+json → the bytes
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pipeline } from "node:stream/promises";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { githubTarget } from "@/lib/offsite/targets/github";
import { TargetError } from "@/lib/offsite/targets/target";
import { exportFile } from "@/tests/support/backup";
import { seededDatabase, tempDir } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";

const TOKEN = "ghp_testtoken0123456789abcdefABCDEF0123";
/** Tokens GitHub answers 403 (no permission, or the rate limit spent) and 429 (secondary rate limit). */
const FORBIDDEN_TOKEN = "ghp_forbidden000000000000000000000000";
const LIMITED_TOKEN = "ghp_limited00000000000000000000000000";
const NAMES = ["database_backup_2026-11-01_00-00-00.json", "database_backup_2026-11-08_00-00-00.json"];
/** Backups whose .sha256 GitHub fails to serve (500), or serves without a SHA-256 in it. */
const UNREADABLE = "database_backup_2026-11-15_00-00-00.json";
const GARBLED = "database_backup_2026-11-22_00-00-00.json";
let files: Record<string, Buffer>;
let server: http.Server;
let apiUrl: string;
const requests: { url: string; accept: string | undefined; version: string | undefined }[] = [];

/** One entry of GitHub's directory listing, with every documented field. */
function entry(name: string, size: number) {
  const p = `backups/${name}`;
  const sha = createHash("sha1").update(name).digest("hex");
  return {
    type: "file",
    size,
    name,
    path: p,
    sha,
    url: `${apiUrl}/repos/lab/queue/contents/${p}?ref=database-backups`,
    git_url: `${apiUrl}/repos/lab/queue/git/blobs/${sha}`,
    html_url: `https://github.com/lab/queue/blob/database-backups/${p}`,
    download_url: `https://raw.githubusercontent.com/lab/queue/database-backups/${p}`,
    _links: { self: "", git: "", html: "" },
  };
}

beforeAll(async () => {
  const backup = fs.readFileSync(await exportFile(seededDatabase(20, { activate: false })));
  files = {};
  for (const name of NAMES) {
    files[name] = backup;
    files[`${name}.sha256`] = Buffer.from(`${createHash("sha256").update(backup).digest("hex")}  ${name}\n`);
  }
  files["database_backup_latest.json"] = backup;
  server = http.createServer((req, res) => {
    requests.push({
      url: req.url!,
      accept: req.headers.accept,
      version: req.headers["x-github-api-version"] as string,
    });
    // GitHub refuses a request without a User-Agent (documented: "All API requests MUST include a valid User-Agent").
    if (!req.headers["user-agent"]) {
      return void res.writeHead(403, { "Content-Type": "application/json" }).end('{"message":"Missing User-Agent"}');
    }
    if (req.headers.authorization === `Bearer ${FORBIDDEN_TOKEN}`) return void res.writeHead(403).end();
    if (req.headers.authorization === `Bearer ${LIMITED_TOKEN}`) return void res.writeHead(429).end();
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      return void res.writeHead(401, { "Content-Type": "application/json" }).end('{"message":"Bad credentials"}');
    }
    const url = new URL(req.url!, "http://x");
    if (url.searchParams.get("ref") !== "database-backups") return void res.writeHead(404).end();
    if (url.pathname === "/repos/lab/hanging/contents/backups") return; // never answers
    if (url.pathname === "/repos/lab/stalling/contents/backups") {
      // Answers, then never sends the rest of the listing.
      return void res.writeHead(200, { "Content-Type": "application/json" }).write('[{"type": "file", ');
    }
    if (url.pathname === "/repos/lab/file/contents/backups") {
      // "backups" is a file on that branch: GitHub answers with the one entry, not a list.
      return void res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(entry("backups", 10)));
    }
    if (url.pathname === `/repos/lab/slow/contents/backups/${NAMES[0]}`) {
      // A download that starts at once and takes longer than the provider timeout to finish.
      const bytes = files[NAMES[0]!]!;
      res.writeHead(200, { "Content-Type": "application/vnd.github.raw" }).write(bytes.subarray(0, 100));
      return void setTimeout(() => res.end(bytes.subarray(100)), 1_500);
    }
    if (url.pathname === "/repos/lab/queue/contents/backups") {
      const listing = Object.entries(files).map(([name, bytes]) => entry(name, bytes.length));
      listing.push({ ...entry("notes", 0), type: "dir" });
      // A folder named like a backup is not one.
      listing.push({ ...entry("database_backup_2026-10-25_00-00-00.json", 0), type: "dir" });
      return void res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(listing));
    }
    const name = url.pathname.replace("/repos/lab/queue/contents/backups/", "");
    if (name === `${UNREADABLE}.sha256`) {
      return void res.writeHead(500, { "Content-Type": "application/json" }).end('{"message":"Server Error"}');
    }
    if (name === `${GARBLED}.sha256`) {
      // A hash, but not where sha256sum puts it: not taken for the recorded one.
      return void res.writeHead(200).end(`see the release notes: ${"a".repeat(64)} ${GARBLED}\n`);
    }
    if (files[name] && req.headers.accept === "application/vnd.github.raw+json") {
      return void res.writeHead(200, { "Content-Type": "application/vnd.github.raw" }).end(files[name]);
    }
    res.writeHead(404, { "Content-Type": "application/json" }).end('{"message":"Not Found"}');
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server?.close());

const target = (token = TOKEN, repo = "lab/queue", branch = "database-backups", api = apiUrl) =>
  githubTarget({ repo, token, branch, apiUrl: api });

/** The error a promise rejects with (or "resolved" when it does not). */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => "resolved",
    (error: unknown) => error,
  );

describe("GitHub target", () => {
  it("lists the dated backups newest first, with size and the SHA-256 from the .sha256 beside each", async () => {
    const listed = await target().list();
    expect(listed.map((b) => b.name)).toEqual([...NAMES].reverse());
    for (const b of listed) {
      expect(b).toMatchObject({
        target: "github",
        key: `backups/${b.name}`,
        bytes: files[b.name]!.length,
        verified: true,
      });
      expect(b.sha256).toBe(createHash("sha256").update(files[b.name]!).digest("hex"));
    }
    expect(requests.every((r) => r.version === "2022-11-28")).toBe(true);
  });

  it("reads a backup's raw bytes, which verify", async () => {
    const out = path.join(tempDir(), NAMES[1]!);
    await pipeline(await target().read(`backups/${NAMES[1]}`), fs.createWriteStream(out));
    expect(fs.readFileSync(out).equals(files[NAMES[1]!]!)).toBe(true);
    expect((await verifyBackupFile(out)).ok).toBe(true);
    expect(requests.at(-1)!.accept).toBe("application/vnd.github.raw+json");
  });

  it("gives the SHA-256 a restore checks against: none when no .sha256 is beside a backup, an error when it cannot be read", async () => {
    const sha256 = createHash("sha256").update(files[NAMES[0]!]!).digest("hex");
    expect(await target().recordedSha256(`backups/${NAMES[0]}`)).toBe(sha256);
    expect(await target().recordedSha256("backups/database_backup_2026-10-01_00-00-00.json")).toBeNull();
    // A failed read must not pass for "no SHA-256 recorded": the restore would go ahead unchecked.
    const failed = await target()
      .recordedSha256(`backups/${UNREADABLE}`)
      .catch((e: Error) => e);
    expect(failed).toBeInstanceOf(TargetError);
    expect((failed as Error).message).toMatch(/GitHub answered 500/);
    await expect(target().recordedSha256(`backups/${GARBLED}`)).rejects.toThrow(
      `${GARBLED}.sha256 in github.com/lab/queue (database-backups) holds no SHA-256, so ${GARBLED} cannot be checked.`,
    );
  });

  it("lists a backup whose .sha256 cannot be read as having no SHA-256 (not verified), and the others as usual", async () => {
    files[UNREADABLE] = files[NAMES[0]!]!;
    try {
      const listed = await target().list();
      expect(listed.map((b) => [b.name, b.verified])).toEqual([
        [UNREADABLE, false],
        [NAMES[1], true],
        [NAMES[0], true],
      ]);
      expect(listed[0]!.sha256).toBeNull();
    } finally {
      delete files[UNREADABLE];
    }
  });

  it("refuses names outside the backups, a wrong token clearly (without echoing it), and writes", async () => {
    const notBackup = await failure(target().read("README.md"));
    expect(notBackup).toBeInstanceOf(TargetError);
    expect((notBackup as Error).message).toMatch(/no backup called README.md/);
    // "No such backup" (the download page says it is gone), not "GitHub failed".
    expect((notBackup as TargetError).missing).toBe(true);
    // A backup's name in another folder of the branch is not one of the backups.
    await expect(target().read(`elsewhere/${NAMES[0]}`)).rejects.toThrow(`no backup called elsewhere/${NAMES[0]}`);
    const denied = await target("ghp_wrong0000000000000000000000000000")
      .list()
      .catch((e: Error) => e);
    expect(denied).toBeInstanceOf(TargetError);
    expect((denied as Error).message).toMatch(/refused GITHUB_TOKEN \(401\)/);
    expect((denied as Error).message).not.toContain("ghp_wrong");
    await expect(target().write("x", "y", "z", true)).rejects.toThrow(/written by the weekly workflow only/);
    await expect(target().remove(`backups/${NAMES[0]}`)).rejects.toThrow(
      "github.com/lab/queue (database-backups) is written by the weekly workflow only; the app reads it.",
    );
  });

  it("says why GitHub refused: permission or rate limit (403, 429), no such branch or repository (404), not reachable", async () => {
    for (const token of [FORBIDDEN_TOKEN, LIMITED_TOKEN]) {
      const refused = await failure(target(token).list());
      expect(refused).toBeInstanceOf(TargetError);
      expect((refused as Error).message).toBe(
        `GitHub refused the request (${token === LIMITED_TOKEN ? 429 : 403}: rate limit or missing permission) for github.com/lab/queue (database-backups).`,
      );
    }
    const noBranch = await failure(target(TOKEN, "lab/queue", "no-such-branch").list());
    expect((noBranch as Error).message).toBe(
      "GitHub has no backups in github.com/lab/queue (no-such-branch), or GITHUB_TOKEN cannot see the repository.",
    );
    expect((noBranch as TargetError).missing).toBe(true);

    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const gone = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((r) => closed.close(r));
    const unreachable = await failure(target(TOKEN, "lab/queue", "database-backups", gone).list());
    expect(unreachable).toBeInstanceOf(TargetError);
    expect((unreachable as Error).message).toBe(
      "Could not reach GitHub's API for github.com/lab/queue (database-backups) (ECONNREFUSED).",
    );
  });

  it("refuses a listing that is not a folder, clearly", async () => {
    const listed = await failure(target(TOKEN, "lab/file").list());
    expect(listed).toBeInstanceOf(TargetError);
    expect((listed as Error).message).toBe(
      "GitHub's listing of backups/ in github.com/lab/file (database-backups) is not a folder.",
    );
  });

  describe("with a provider timeout of 1 s", () => {
    beforeAll(() => setEnv({ BACKUP_PROVIDER_TIMEOUT_SECONDS: "1" }));
    afterAll(() => setEnv({ BACKUP_PROVIDER_TIMEOUT_SECONDS: undefined }));

    it("a listing that does not come, or stops half-way, is 'not answering' once the timeout has passed", async () => {
      for (const repo of ["lab/hanging", "lab/stalling"]) {
        const late = await failure(target(TOKEN, repo).list());
        expect(late).toBeInstanceOf(TargetError);
        expect((late as Error).message).toBe(
          `github.com/${repo} (database-backups) is not answering (no reply in 1 s). Try again later.`,
        );
      }
    });

    it("a download that has started may take longer than the timeout to finish", async () => {
      const out = path.join(tempDir(), NAMES[0]!);
      await pipeline(await target(TOKEN, "lab/slow").read(`backups/${NAMES[0]}`), fs.createWriteStream(out));
      expect(fs.readFileSync(out).equals(files[NAMES[0]!]!)).toBe(true);
    });
  });
});
