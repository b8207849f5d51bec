// A restore or check of `s3://bucket/…` reads a local copy in the data folder, for as long as
// it reads it: against a real S3-protocol server (s3rver on loopback). Whatever happens (the
// backup is missing, the download stalls, the reader fails) no copy is left behind.
import fs from "node:fs";
import path from "node:path";

import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { downloadToDataDir, parseS3Source, withLocalCopy } from "@/lib/offsite/source";
import { s3Target } from "@/lib/offsite/targets/s3";
import { TargetError } from "@/lib/offsite/targets/target";
import { tempDir } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { S3_BUCKET, stallingRelay, startS3, type RunningS3 } from "@/tests/support/s3";

let s3: RunningS3;
let dataDir: string;
const NAME = "database_backup_2026-10-05_03-00-00.json.gz.age";
/** Folders whose names start or end with a dot: the top level is "." to path.posix.dirname, they are not. */
const DOTTED = [".lab", "lab.", "v1.2/old."];
const CONTENT = Buffer.from("age-encryption.org/v1\n".padEnd(200 * 1024, "x"));

beforeAll(async () => {
  s3 = await startS3();
  const client = new S3Client({
    region: "us-east-1",
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  for (const key of [`src/${NAME}`, "database_backup_2026-10-06_03-00-00.json", ...DOTTED.map((d) => `${d}/${NAME}`)]) {
    await client.send(new PutObjectCommand({ Bucket: S3_BUCKET, Key: key, Body: CONTENT }));
  }
});
afterAll(async () => {
  await s3?.stop();
});
beforeEach(() => {
  dataDir = path.join(tempDir("labq-src-"), "data");
  setEnv({ ...s3.env(), DATA_DIR: dataDir });
});
afterEach(() => {
  setEnv(
    Object.fromEntries(
      [...Object.keys(s3.env()), "DATA_DIR", "BACKUP_PROVIDER_TIMEOUT_SECONDS"].map((n) => [n, undefined]),
    ),
  );
});

const leftInDataDir = () => (fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : []);

describe("an s3:// address as a backup's source", () => {
  it("is told apart from a local file", () => {
    expect(parseS3Source("s3://lab-backups/queue/old/b.json")).toEqual({
      bucket: "lab-backups",
      key: "queue/old/b.json",
    });
    expect(parseS3Source("s3://lab-backups/b.json")).toEqual({ bucket: "lab-backups", key: "b.json" });
    for (const local of [
      "s3://lab-backups/",
      "s3://lab-backups",
      "/srv/s3://lab-backups/b.json",
      "backup.json",
      "S3://x/y",
    ]) {
      expect(parseS3Source(local), local).toBeNull();
    }
  });

  it("a local file is read where it is, without a copy", async () => {
    const file = path.join(tempDir("labq-src-"), "backup.json");
    expect(await withLocalCopy(file, async (f) => f)).toBe(file);
    expect(leftInDataDir()).toEqual([]);
  });

  it("is read from a copy in the data folder, named as the backup ends, removed afterwards", async () => {
    let seen = "";
    const answer = await withLocalCopy(`s3://${S3_BUCKET}/src/${NAME}`, async (file) => {
      seen = file;
      expect(fs.readFileSync(file).equals(CONTENT)).toBe(true);
      return "read";
    });
    expect(answer).toBe("read");
    expect(path.dirname(seen)).toBe(dataDir);
    expect(path.basename(seen)).toMatch(/^offsite-[0-9a-f]{12}\.json\.gz\.age$/);
    expect(leftInDataDir()).toEqual([]);
    // At the bucket's top level too.
    await withLocalCopy(`s3://${S3_BUCKET}/database_backup_2026-10-06_03-00-00.json`, async (file) => {
      expect(path.basename(file)).toMatch(/^offsite-[0-9a-f]{12}\.json$/);
      expect(fs.readFileSync(file).equals(CONTENT)).toBe(true);
    });
  });

  it("in a folder whose name starts or ends with a dot is found there", async () => {
    for (const folder of DOTTED) {
      await withLocalCopy(`s3://${S3_BUCKET}/${folder}/${NAME}`, async (file) => {
        expect(fs.readFileSync(file).equals(CONTENT)).toBe(true);
      });
    }
    expect(leftInDataDir()).toEqual([]);
  });

  it("replica:latest without a replica configured is refused, not read as a file of that name", async () => {
    let read = false;
    const error = await withLocalCopy("replica:latest", async () => {
      read = true;
    }).catch((e: Error) => e);
    expect((error as Error).message).toBe("No replica is configured (BACKUP_REPLICA_URL).");
    expect(read).toBe(false);
  });

  it("the copy is removed when the reader fails", async () => {
    const reading = withLocalCopy(`s3://${S3_BUCKET}/src/${NAME}`, async (file) => {
      expect(fs.existsSync(file)).toBe(true);
      throw new Error("the restore refused it");
    });
    await expect(reading).rejects.toThrow("the restore refused it");
    expect(leftInDataDir()).toEqual([]);
  });

  it("a backup that is not there is a clear error naming where it was looked for, and nothing is left", async () => {
    let read = false;
    const error = await withLocalCopy(`s3://${S3_BUCKET}/database_backup_2026-01-01_03-00-00.json`, async () => {
      read = true;
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as TargetError).missing).toBe(true);
    expect((error as Error).message).toBe(
      "Could not read database_backup_2026-01-01_03-00-00.json: s3://lab-backups has no such backup.",
    );
    expect(read).toBe(false);
    expect(leftInDataDir()).toEqual([]);
  });

  it("a download that stalls midway fails and leaves no partial copy", async () => {
    setEnv({ BACKUP_PROVIDER_TIMEOUT_SECONDS: "0.5" });
    const relay = await stallingRelay(s3.endpoint, 64 * 1024);
    try {
      const target = s3Target({
        bucket: S3_BUCKET,
        prefix: "src",
        endpoint: relay.endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      });
      await expect(downloadToDataDir(target, `src/${NAME}`)).rejects.toThrow();
      expect(leftInDataDir()).toEqual([]);
    } finally {
      await relay.stop();
    }
  });
});
