// The S3 target on its own, against a real S3-protocol server (s3rver on loopback): what it
// lists (every page, only dated backups in its own folder), what an upload records and when it
// counts, and that every call gives up in plain words, without secrets, on a store that does
// not answer or refuses.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import type { Readable } from "node:stream";

import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { S3Settings } from "@/lib/config";
import { s3Target } from "@/lib/offsite/targets/s3";
import { TargetError } from "@/lib/offsite/targets/target";
import { tempDir } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import {
  hangingStore,
  S3_BUCKET,
  stallingRelay,
  startS3,
  type LoopbackServer,
  type RunningS3,
} from "@/tests/support/s3";

const CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
const PAGE = 3;

let s3: RunningS3;
const servers: LoopbackServer[] = [];

/** A store that never answers, stopped after the test. */
async function hanging(): Promise<string> {
  const server = await hangingStore();
  servers.push(server);
  return server.endpoint;
}

/** A relay to the real store that goes silent after each answer's first `bytes` bytes. */
async function stalling(bytes: number): Promise<string> {
  const server = await stallingRelay(s3.endpoint, bytes);
  servers.push(server);
  return server.endpoint;
}

beforeAll(async () => {
  s3 = await startS3({ pageSize: PAGE });
});
afterAll(async () => {
  await s3?.stop();
});
afterEach(async () => {
  setEnv({ BACKUP_PROVIDER_TIMEOUT_SECONDS: undefined });
  for (const server of servers.splice(0)) await server.stop();
});

/** The settings the configuration would give (frozen, as lib/config's are). */
function settings(prefix: string, over: Partial<S3Settings> = {}): S3Settings {
  return Object.freeze({
    bucket: S3_BUCKET,
    prefix,
    endpoint: s3.endpoint,
    region: "us-east-1",
    credentials: Object.freeze({ ...CREDENTIALS }),
    ...over,
  });
}

function client(): S3Client {
  return new S3Client({ region: "us-east-1", endpoint: s3.endpoint, forcePathStyle: true, credentials: CREDENTIALS });
}

/** Puts an object straight into the store (not through the target). */
async function put(key: string, body: string | Buffer = "{}", metadata?: Record<string, string>) {
  await client().send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: key, Body: body, Metadata: metadata }));
}

function backupFile(bytes: number): { file: string; sha256: string } {
  const file = path.join(tempDir("labq-s3t-"), "backup.bin");
  const content = randomBytes(bytes);
  fs.writeFileSync(file, content);
  return { file, sha256: createHash("sha256").update(content).digest("hex") };
}

async function text(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A port nothing listens on. */
async function closedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: unknown) => error as TargetError,
  );

describe("listing an S3 target", () => {
  it("reads every page of a long listing, newest first, with each backup's size, hash and check", async () => {
    const names = Array.from({ length: 8 }, (_, i) => `database_backup_2026-10-0${i + 1}_03-00-00.json.gz`);
    for (const [i, name] of names.entries()) {
      await put(`paged/${name}`, "x".repeat(10 + i), { sha256: `${i}`.repeat(64), verified: i % 2 ? "yes" : "no" });
    }
    const listed = await s3Target(settings("paged")).list();
    // 8 objects, 3 to a page: the third page is the one that ends the listing.
    expect(listed.map((b) => b.name)).toEqual([...names].reverse());
    expect(listed[0]).toEqual({
      target: "s3",
      key: `paged/${names[7]}`,
      name: names[7],
      bytes: 17,
      date: new Date("2026-10-08T03:00:00Z"),
      sha256: "7".repeat(64),
      verified: true,
    });
    expect(listed[1]).toMatchObject({ bytes: 16, sha256: "6".repeat(64), verified: false });
  });

  it("lists only dated backups directly in its own folder, not a neighbour's, a sub-folder's or other files", async () => {
    const name = "database_backup_2026-10-05_03-00-00.json";
    await put(`own/${name}`);
    await put(`own/database_backup_2026-10-06_03-00-00.json.gz.age`);
    await put("own/notes.txt");
    await put("own/database_backup_latest.json");
    await put(`own/old/${name}`);
    await put(`own-other/${name}`);
    await put(name);
    const listed = await s3Target(settings("own")).list();
    expect(listed.map((b) => b.key)).toEqual([`own/database_backup_2026-10-06_03-00-00.json.gz.age`, `own/${name}`]);
    // Without a prefix, the bucket's top level only.
    const top = await s3Target(settings("")).list();
    expect(top.map((b) => b.key)).toEqual([name]);
    expect(s3Target(settings("")).label).toBe(`s3://${S3_BUCKET}`);
    expect(s3Target(settings("own")).label).toBe(`s3://${S3_BUCKET}/own`);
  });

  it("an object stored without a recorded hash lists with none, and unverified", async () => {
    await put("bare/database_backup_2026-10-05_03-00-00.json");
    const target = s3Target(settings("bare"));
    expect((await target.list())[0]).toMatchObject({ sha256: null, verified: false });
    expect(await target.recordedSha256("bare/database_backup_2026-10-05_03-00-00.json")).toBeNull();
  });
});

describe("uploading to an S3 target", () => {
  it("stores the file with its hash and check, and lists it only once the upload is complete", async () => {
    const target = s3Target(settings("up"));
    const { file, sha256 } = backupFile(64 * 1024);
    const name = "database_backup_2026-10-07_03-00-00.json";
    const stored = await target.write(name, file, sha256, true);
    expect(stored).toEqual({
      target: "s3",
      key: `up/${name}`,
      name,
      bytes: 64 * 1024,
      date: new Date("2026-10-07T03:00:00Z"),
      sha256,
      verified: true,
    });
    expect(await target.recordedSha256(`up/${name}`)).toBe(sha256);
    expect(await text(await target.read(`up/${name}`))).toEqual(fs.readFileSync(file));
    const head = await client().send(new HeadObjectCommand({ Bucket: S3_BUCKET, Key: `up/${name}` }));
    expect(head.ContentType).toBe("application/json");

    const encrypted = "database_backup_2026-10-08_03-00-00.json.gz.age";
    expect(await target.write(encrypted, file, sha256, false)).toMatchObject({ verified: false });
    const encryptedHead = await client().send(new HeadObjectCommand({ Bucket: S3_BUCKET, Key: `up/${encrypted}` }));
    expect(encryptedHead.ContentType).toBe("application/octet-stream");
    expect((await target.list()).map((b) => b.name)).toEqual([encrypted, name]);
  });

  it("an upload cut off midway is an error, and nothing is listed", async () => {
    const target = s3Target(settings("cut"));
    const { file, sha256 } = backupFile(256 * 1024);
    s3.cutAfter(100 * 1024);
    const error = await failure(target.write("database_backup_2026-10-09_03-00-00.json.gz", file, sha256, true));
    s3.heal();
    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toMatch(
      /^Could not upload database_backup_2026-10-09_03-00-00\.json\.gz: s3:\/\/lab-backups\/cut/,
    );
    expect(await target.list()).toEqual([]);
  });

  it("deletes a backup, which then no longer lists or reads", async () => {
    const target = s3Target(settings("gone"));
    const { file, sha256 } = backupFile(1024);
    const kept = await target.write("database_backup_2026-10-01_03-00-00.json", file, sha256, true);
    const removed = await target.write("database_backup_2026-10-02_03-00-00.json", file, sha256, true);
    await target.remove(removed.key);
    expect((await target.list()).map((b) => b.key)).toEqual([kept.key]);
    const error = await failure(target.read(removed.key).then(text));
    expect(error).toBeInstanceOf(TargetError);
    expect(error.missing).toBe(true);
    expect(error.message).toBe(
      "Could not read database_backup_2026-10-02_03-00-00.json: s3://lab-backups/gone has no such backup.",
    );
  });
});

describe("reading from an S3 target", () => {
  it("refuses a key outside its folder or not a backup's name, without asking the store", async () => {
    await put("elsewhere/database_backup_2026-10-05_03-00-00.json", "secret");
    await put("mine/notes.json", "secret");
    const target = s3Target(settings("mine", { endpoint: await hanging() }));
    for (const key of ["elsewhere/database_backup_2026-10-05_03-00-00.json", "mine/notes.json"]) {
      const error = await failure(target.read(key));
      expect(error).toBeInstanceOf(TargetError);
      expect(error.missing).toBe(true);
      expect(error.message).toBe(`There is no backup called ${key} in s3://lab-backups/mine.`);
    }
  });

  it("a backup missing from the store (deleted since it was listed) is reported as missing", async () => {
    const target = s3Target(settings("missing"));
    const key = "missing/database_backup_2026-10-05_03-00-00.json";
    for (const call of [() => target.read(key), () => target.recordedSha256(key)]) {
      const error = await failure(call());
      expect(error).toBeInstanceOf(TargetError);
      expect(error.missing).toBe(true);
      expect(error.message).toMatch(/s3:\/\/lab-backups\/missing has no such backup\.$/);
    }
  });
});

describe("an S3 store that does not answer", () => {
  it("every call gives up, saying which store is not answering and after how long", async () => {
    setEnv({ BACKUP_PROVIDER_TIMEOUT_SECONDS: "1" });
    const target = s3Target(settings("q", { endpoint: await hanging() }));
    const key = "q/database_backup_2026-10-05_03-00-00.json";
    const { file, sha256 } = backupFile(100);
    const error = await failure(target.list());
    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toBe(
      "s3://lab-backups/q is not answering (no reply in 1 s): could not list the backups. Try again later.",
    );
    // The rest with a shorter timeout (read when the target is made), to keep the test quick.
    setEnv({ BACKUP_PROVIDER_TIMEOUT_SECONDS: "0.2" });
    const quick = s3Target(settings("q", { endpoint: await hanging() }));
    const calls: [string, () => Promise<unknown>][] = [
      ["read database_backup_2026-10-05_03-00-00.json", () => quick.read(key)],
      ["upload database_backup_2026-10-05_03-00-00.json", () => quick.write(path.basename(key), file, sha256, true)],
      ["read database_backup_2026-10-05_03-00-00.json", () => quick.recordedSha256(key)],
      ["delete database_backup_2026-10-05_03-00-00.json", () => quick.remove(key)],
    ];
    for (const [doing, call] of calls) {
      const refused = await failure(call());
      expect(refused).toBeInstanceOf(TargetError);
      expect(refused.message).toMatch(new RegExp(`is not answering .*: could not ${doing}\\. Try again later\\.$`));
    }
  });

  it("a download that stalls midway ends in an error instead of hanging", async () => {
    const { file, sha256 } = backupFile(512 * 1024);
    const name = "database_backup_2026-10-05_03-00-00.json";
    await s3Target(settings("stall")).write(name, file, sha256, true);
    setEnv({ BACKUP_PROVIDER_TIMEOUT_SECONDS: "0.5" });
    const target = s3Target(settings("stall", { endpoint: await stalling(64 * 1024) }));
    const stream = await target.read(`stall/${name}`);
    const error = await text(stream).then(
      () => null,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
  });

  it("a store that refuses connections is named, with the reason", async () => {
    const target = s3Target(settings("q", { endpoint: await closedPort() }));
    const error = await failure(target.list());
    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toBe("Could not list the backups: s3://lab-backups/q could not be reached (ECONNREFUSED).");
  });
});

describe("an S3 store that refuses", () => {
  it("an access key the store does not know names the setting to check, never the secret", async () => {
    // (s3rver checks the key id but not a SigV4 signature: a wrong secret key cannot be refused here.)
    const secret = "planted-secret-8f2e1c";
    const target = s3Target(settings("q", { credentials: { accessKeyId: "NOT-S3RVER", secretAccessKey: secret } }));
    const error = await failure(target.list());
    expect(error).toBeInstanceOf(TargetError);
    expect(error.missing).toBe(false);
    expect(error.message).toBe(
      "Could not list the backups: s3://lab-backups/q does not know the access key (AWS_ACCESS_KEY_ID).",
    );
    expect(`${error.message} ${error.stack}`).not.toContain(secret);
    expect(error.message).not.toMatch(/Signature|X-Amz|NOT-S3RVER/i);
  });

  it("a bucket that does not exist names the setting to check", async () => {
    const target = s3Target(settings("q", { bucket: "no-such-bucket" }));
    const error = await failure(target.list());
    expect(error).toBeInstanceOf(TargetError);
    expect(error.missing).toBe(false);
    expect(error.message).toBe(
      "Could not list the backups: s3://no-such-bucket/q has no such bucket: check BACKUP_S3_URL.",
    );
  });
});
