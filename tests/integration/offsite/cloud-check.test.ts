// "Verified" in Cloud Backups: a backup fetched for a restore is compared, byte for byte through
// its SHA-256, with the hash recorded when it was pushed. Against a real S3-protocol server.
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { checkFetchedBackup, listCloudBackups } from "@/lib/admin/cloud";
import { ActionError } from "@/lib/auth/staff-action";
import { saveUpload, uploadPath } from "@/lib/backup/uploads";
import { prisma } from "@/lib/db/prisma";
import { pushBackup } from "@/lib/offsite/push";
import { pushTarget } from "@/lib/offsite/targets";
import { seededDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { S3_BUCKET, startS3, type RunningS3 } from "@/tests/support/s3";

let s3: RunningS3;
let names: string[] = [];

beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
});
afterEach(() => {
  setEnv(Object.fromEntries(names.map((n) => [n, undefined])));
});

async function fetchIntoUpload(key: string): Promise<string> {
  return (await saveUpload(await pushTarget().read(key), 100 * 1024 * 1024)).id;
}

describe("checking a fetched cloud backup", () => {
  it("matching bytes are verified; bytes changed in storage are refused, discarded and shown in red", async () => {
    seededDatabase(10);
    const env = s3.env("cloud-check");
    names = Object.keys(env);
    setEnv(env);
    const pushed = await pushBackup({ date: new Date("2026-11-01T00:00:00Z") });
    const [listed] = (await listCloudBackups())[0]!.backups;
    expect(listed).toMatchObject({ name: pushed.name, check: "unchecked" });

    const good = await fetchIntoUpload(listed!.key);
    await checkFetchedBackup("s3", listed!.key, good, "ada");
    expect(uploadPath(good)).not.toBeNull();
    expect((await listCloudBackups())[0]!.backups[0]!.check).toBe("verified");

    // Someone (or bit rot) changes the object, keeping the recorded hash in its metadata.
    const client = new S3Client({
      region: "us-east-1",
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    await client.send(
      new PutObjectCommand({
        Bucket: S3_BUCKET,
        Key: listed!.key,
        Body: Buffer.from("not the backup that was pushed"),
        Metadata: { sha256: listed!.sha256!, verified: "yes" },
      }),
    );
    const tampered = await fetchIntoUpload(listed!.key);
    const refused = await checkFetchedBackup("s3", listed!.key, tampered, "ada").catch((e: Error) => e);
    expect(refused).toBeInstanceOf(ActionError);
    expect((refused as Error).message).toMatch(/changed or damaged in storage.*will not be restored/);
    expect(uploadPath(tampered)).toBeNull();
    expect((await listCloudBackups())[0]!.backups[0]!.check).toBe("mismatch");
    const checks = await prisma().backupEvent.findMany({ where: { kind: "cloud-check" }, orderBy: { id: "asc" } });
    expect(checks.map((c) => c.result)).toEqual(["ok", "failed"]);
  });
});
