// The continuous replica on a real S3-protocol server (s3rver on loopback, with the listing
// fix tests/support/s3.ts applies), encrypted with age when BACKUP_ENCRYPT_TO is set: the
// bucket holds no plaintext, and a restore needs BACKUP_AGE_IDENTITY.
import net, { type AddressInfo } from "node:net";

import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { GET as statusGet } from "@/app/schedule/api/backup/status/route";
import { databasePath } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { newKeyPair } from "@/lib/offsite/encryption";
import { replicaCopy } from "@/lib/offsite/replica/source";
import { REPLICA_PROBLEMS, replicaStatus } from "@/lib/offsite/replica/status";
import type { Supervisor } from "@/lib/offsite/replica/supervisor";
import { contentHash, seededDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { testKey } from "@/tests/support/keys";
import { eventually, startReplicating } from "@/tests/support/replica";
import { S3_BUCKET, startS3, type RunningS3 } from "@/tests/support/s3";

const ENCRYPTION = ["BACKUP_ENCRYPT_TO", "BACKUP_AGE_IDENTITY", "BACKUP_REPLICA_URL"];
let s3: RunningS3;
let replication: Supervisor | undefined;

beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3.stop();
});
afterEach(async () => {
  await replication?.stop();
  replication = undefined;
  setEnv(Object.fromEntries([...Object.keys(s3.env()), ...ENCRYPTION].map((name) => [name, undefined])));
});

/** The first bytes of every object under `prefix`. */
async function objectHeads(prefix: string): Promise<Map<string, string>> {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  const heads = new Map<string, string>();
  const listed = await client.send(new ListObjectsV2Command({ Bucket: S3_BUCKET, Prefix: prefix }));
  for (const { Key } of listed.Contents ?? []) {
    const body = await (
      await client.send(new GetObjectCommand({ Bucket: S3_BUCKET, Key }))
    ).Body!.transformToByteArray();
    heads.set(Key!, Buffer.from(body.subarray(0, 21)).toString("latin1"));
  }
  return heads;
}

describe("a replica on S3, encrypted with age", () => {
  it("holds only age-encrypted objects, and restores with BACKUP_AGE_IDENTITY to exactly the live data", async () => {
    const { identity, recipient } = await newKeyPair();
    setEnv({ ...s3.env(), BACKUP_ENCRYPT_TO: recipient, BACKUP_AGE_IDENTITY: identity });
    seededDatabase(30, { seed: 7 });
    replication = startReplicating(`s3://${S3_BUCKET}/replica/lab`);
    const status = await eventually(async () => {
      const s = await replicaStatus({ fresh: true });
      return s?.window ? s : null;
    }, 30_000);
    expect(status).toEqual(expect.objectContaining({ encrypted: true, problem: null }));
    expect(status.destination).toBe(`s3://${S3_BUCKET}/replica/lab at ${new URL(s3.endpoint).host}`);
    // S3 keeps whole seconds: once Litestream has shipped, no change waits and the last shipped
    // time is the replica's newest change.
    const idle = await eventually(async () => {
      const s = await replicaStatus({ fresh: true });
      return s?.lagMs === 0 ? s : null;
    });
    expect(idle.lastShippedAt!.getTime()).toBe(idle.window!.to.getTime());

    const heads = await objectHeads("replica/lab/");
    expect([...heads.keys()].some((k) => k.includes("/snapshots/"))).toBe(true);
    expect([...heads.keys()].some((k) => k.includes("/wal/"))).toBe(true);
    for (const [key, head] of heads) expect(head, key).toBe("age-encryption.org/v1");

    await replication.stop();
    replication = undefined;
    const copy = await replicaCopy(undefined);
    expect(contentHash(copy)).toBe(contentHash(databasePath()));

    setEnv({ BACKUP_AGE_IDENTITY: undefined });
    await expect(replicaCopy(undefined)).rejects.toThrow(/encrypted.*BACKUP_AGE_IDENTITY/);
  });
});

describe("a replica whose store stops answering", () => {
  it("is 'unreachable' with the fixed reason, though Litestream's listing exits 0", async () => {
    const store = await startS3();
    const key = testKey("replica-unreachable");
    try {
      setEnv({ ...store.env(), BACKUP_API_KEY: key, BACKUP_PROVIDER_TIMEOUT_SECONDS: "5" });
      seededDatabase(10);
      // The weekly off-site backup is on time: only the replica decides the route's answer.
      await prisma().backupEvent.create({ data: { kind: "push", source: "api", actor: "test", result: "ok" } });
      replication = startReplicating(`s3://${S3_BUCKET}/replica/gone`);
      await eventually(async () => (await replicaStatus({ fresh: true }))?.window, 30_000);

      await store.stop();
      const status = await replicaStatus({ fresh: true });
      expect(status).toEqual(
        expect.objectContaining({
          reason: "replica-unreachable",
          problem: expect.stringMatching(/^The replica cannot be read: cannot list generations: .*connection refused/),
        }),
      );
      const response = await statusGet(
        new Request("http://localhost/schedule/api/backup/status/", { headers: { authorization: `Bearer ${key}` } }),
      );
      expect(response.status).toBe(503);
      const body = (await response.json()) as { replica: Record<string, unknown> };
      expect(body.replica).toEqual(
        expect.objectContaining({
          ok: false,
          reason: "replica-unreachable",
          problem: REPLICA_PROBLEMS["replica-unreachable"],
        }),
      );
    } finally {
      setEnv({ BACKUP_API_KEY: undefined, BACKUP_PROVIDER_TIMEOUT_SECONDS: undefined });
    }
  });

  it("is 'unreachable' when the store accepts the connection and never answers, within the provider timeout", async () => {
    const silent = net.createServer(() => {}); // accepts, reads nothing, answers nothing
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      setEnv({ ...s3.env(), BACKUP_S3_ENDPOINT: endpoint, BACKUP_PROVIDER_TIMEOUT_SECONDS: "1" });
      seededDatabase(5);
      setEnv({ BACKUP_REPLICA_URL: `s3://${S3_BUCKET}/replica/silent` });
      const status = await replicaStatus({ fresh: true });
      expect(status).toEqual(
        expect.objectContaining({
          reason: "replica-unreachable",
          problem: "The replica cannot be read: the replica's store did not answer within 1 s",
        }),
      );
    } finally {
      setEnv({ BACKUP_PROVIDER_TIMEOUT_SECONDS: undefined });
      silent.close();
    }
  });
});
