// The Litestream configuration written from the app's settings: the intervals npm start relies
// on, the replica where BACKUP_REPLICA_URL says, and no secret in the file (keys travel in
// Litestream's environment).
import { describe, expect, it } from "vitest";

import { parseConfig } from "@/lib/config";
import { describeDestination, litestreamConfig, litestreamEnvironment } from "@/lib/offsite/replica/config-file";
import { testKey } from "@/tests/support/keys";

const RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const IDENTITY = "AGE-SECRET-KEY-1QQPQJMSDZNUH4MLW2DS6PGSAVEJCNKEHQSC9Q6S29QDRU5QC2S7QLUYW4N";

describe("Litestream's configuration", () => {
  it("replicates to a folder every 100 ms, with an hourly snapshot and the retention asked for", () => {
    const settings = parseConfig({
      BACKUP_REPLICA_URL: "file:///srv/replica",
      BACKUP_REPLICA_RETENTION: "7d",
    }).replica!;
    const text = litestreamConfig("/data/db.sqlite3", settings);
    expect(text).toContain('  - path: "/data/db.sqlite3"\n    monitor-interval: 100ms');
    expect(text).toContain('      - type: file\n        path: "/srv/replica"\n        sync-interval: 100ms');
    expect(text).toContain("snapshot-interval: 1h");
    expect(text).toContain("retention: 168h");
    expect(text).not.toContain("age:");
    expect(describeDestination(settings)).toBe("/srv/replica");
  });

  it("puts S3 keys and the age identity in the environment, never in the file", () => {
    const env = {
      BACKUP_REPLICA_URL: "s3://lab-backups/replica",
      BACKUP_S3_ENDPOINT: "https://account.r2.cloudflarestorage.com",
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLEKEY",
      AWS_SECRET_ACCESS_KEY: "secret-access-key-example",
      AWS_REGION: "auto",
      BACKUP_ENCRYPT_TO: RECIPIENT,
      BACKUP_AGE_IDENTITY: IDENTITY,
    };
    const settings = parseConfig(env).replica!;
    const text = litestreamConfig("/data/db.sqlite3", settings);
    expect(text).toContain('type: s3\n        bucket: "lab-backups"\n        path: "replica"');
    expect(text).toContain('endpoint: "https://account.r2.cloudflarestorage.com"');
    expect(text).toContain(`recipients: ["${RECIPIENT}"]`);
    expect(text).toContain('identities: ["$LITESTREAM_AGE_IDENTITY"]');
    for (const secret of [IDENTITY, "AKIAEXAMPLEKEY", "secret-access-key-example"]) expect(text).not.toContain(secret);
    expect(litestreamEnvironment(settings)).toEqual(
      expect.objectContaining({
        LITESTREAM_ACCESS_KEY_ID: "AKIAEXAMPLEKEY",
        LITESTREAM_SECRET_ACCESS_KEY: "secret-access-key-example",
        LITESTREAM_AGE_IDENTITY: IDENTITY,
      }),
    );
    expect(describeDestination(settings)).toBe("s3://lab-backups/replica at account.r2.cloudflarestorage.com");
  });
});

describe("Litestream's environment", () => {
  it("holds what Litestream needs and none of the app's secrets", () => {
    const settings = parseConfig({ BACKUP_REPLICA_URL: "file:///data/replica" }).replica!;
    const app = {
      NEXTAUTH_SECRET: "planted-session-secret",
      BACKUP_API_KEY: testKey("planted-backup-api"),
      GITHUB_TOKEN: "ghp_planted",
      DATABASE_URL: "file:/data/db.sqlite3",
    };
    const kept = { PATH: "/usr/bin", HOME: "/root", TZ: "UTC", AWS_PROFILE: "lab", LITESTREAM_CONFIG: "/x.yml" };
    const saved = { ...process.env };
    Object.assign(process.env, app, kept);
    try {
      const env = litestreamEnvironment(settings);
      for (const name of Object.keys(app)) expect(env).not.toHaveProperty(name);
      expect(env).toEqual(expect.objectContaining(kept));
      expect(JSON.stringify(env)).not.toMatch(/planted/);
    } finally {
      for (const name of Object.keys({ ...app, ...kept })) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });
});
