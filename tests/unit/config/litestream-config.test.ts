// The Litestream configuration written from the app's settings: the intervals npm start relies
// on, the replica where BACKUP_REPLICA_URL says, and no secret in the file (keys travel in
// Litestream's environment).
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { parseConfig } from "@/lib/config";
import {
  describeDestination,
  litestreamConfig,
  litestreamEnvironment,
  writeLitestreamConfig,
} from "@/lib/offsite/replica/config-file";
import { tempDir } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
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

describe("Litestream's configuration, further", () => {
  it("quotes paths, so a space, a quote or a # in a folder name stays part of the path", () => {
    const settings = parseConfig({ BACKUP_REPLICA_URL: 'file:///srv/lab "replica" #1' }).replica!;
    const text = litestreamConfig("/data/my db: lab.sqlite3", settings);
    expect(text).toContain('  - path: "/data/my db: lab.sqlite3"\n');
    expect(text).toContain('        path: "/srv/lab \\"replica\\" #1"\n');
  });

  it("names the region, and the endpoint with path-style requests only when one is set", () => {
    const aws = parseConfig({ BACKUP_REPLICA_URL: "s3://lab-backups", AWS_REGION: "eu-central-1" }).replica!;
    const text = litestreamConfig("/data/db.sqlite3", aws);
    expect(text).toContain(
      '      - type: s3\n        bucket: "lab-backups"\n        path: ""\n        region: "eu-central-1"\n        sync-interval: 100ms\n',
    );
    expect(text).not.toContain("endpoint");
    expect(text).not.toContain("force-path-style");
    const other = parseConfig({
      BACKUP_REPLICA_URL: "s3://lab-backups/p",
      BACKUP_S3_ENDPOINT: "http://127.0.0.1:9000",
    }).replica!;
    expect(litestreamConfig("/d.sqlite3", other)).toContain(
      '        endpoint: "http://127.0.0.1:9000"\n        force-path-style: true\n',
    );
  });

  it("enforces retention as often as it snapshots, and writes the whole document in order", () => {
    const settings = parseConfig({ BACKUP_REPLICA_URL: "file:///srv/replica" }).replica!;
    expect(litestreamConfig("/data/db.sqlite3", settings)).toBe(
      [
        "# Written by the app from BACKUP_REPLICA_* settings at every start; edits are overwritten.",
        "dbs:",
        '  - path: "/data/db.sqlite3"',
        "    monitor-interval: 100ms",
        "    replicas:",
        "      - type: file",
        '        path: "/srv/replica"',
        "        sync-interval: 100ms",
        "        snapshot-interval: 1h",
        "        retention: 72h",
        "        retention-check-interval: 1h",
        "",
      ].join("\n"),
    );
  });

  it("encrypts to every recipient, and names no identity when none is set", () => {
    const second = "age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg";
    const settings = parseConfig({
      BACKUP_REPLICA_URL: "file:///srv/replica",
      BACKUP_ENCRYPT_TO: `${RECIPIENT}, ${second}`,
    }).replica!;
    const text = litestreamConfig("/data/db.sqlite3", settings);
    expect(text).toContain(`        age:\n          recipients: ["${RECIPIENT}", "${second}"]\n`);
    expect(text).not.toContain("identities");
    expect(litestreamEnvironment(settings)).not.toHaveProperty("LITESTREAM_AGE_IDENTITY");
  });

  it("names where the replica is without its prefix when there is none, and without a host on AWS", () => {
    expect(describeDestination(parseConfig({ BACKUP_REPLICA_URL: "s3://lab-backups" }).replica!)).toBe(
      "s3://lab-backups",
    );
    expect(describeDestination(parseConfig({ BACKUP_REPLICA_URL: "s3://lab-backups/db/lab/" }).replica!)).toBe(
      "s3://lab-backups/db/lab",
    );
  });
});

describe("Litestream's environment, further", () => {
  it("gives no age identity to Litestream when the replica is not encrypted, and no key pair to a folder replica", () => {
    const saved = { ...process.env };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      const plain = parseConfig({ BACKUP_REPLICA_URL: "file:///srv/replica", BACKUP_AGE_IDENTITY: IDENTITY }).replica!;
      expect(JSON.stringify(litestreamEnvironment(plain))).not.toContain(IDENTITY);
      const folder = parseConfig({
        BACKUP_REPLICA_URL: "file:///srv/replica",
        AWS_ACCESS_KEY_ID: "AKIAEXAMPLEKEY",
        AWS_SECRET_ACCESS_KEY: "secret-access-key-example",
      }).replica!;
      const env = litestreamEnvironment(folder);
      expect(env).not.toHaveProperty("LITESTREAM_ACCESS_KEY_ID");
      expect(env).not.toHaveProperty("LITESTREAM_SECRET_ACCESS_KEY");
    } finally {
      Object.assign(process.env, saved);
    }
  });
});

describe("the configuration file", () => {
  it("is readable by its owner only, rewritten when the settings change, and leaves no partial file", () => {
    const dir = tempDir();
    const saved = { DATA_DIR: process.env.DATA_DIR };
    setEnv({ DATA_DIR: path.join(dir, "data") });
    try {
      const first = parseConfig({ BACKUP_REPLICA_URL: "file:///srv/one" }).replica!;
      const file = writeLitestreamConfig("/data/db.sqlite3", first);
      expect(file).toBe(path.join(dir, "data", "litestream.yml"));
      expect(fs.statSync(file).mode & 0o077).toBe(0);
      expect(fs.readFileSync(file, "utf8")).toBe(litestreamConfig("/data/db.sqlite3", first));

      const second = parseConfig({ BACKUP_REPLICA_URL: "file:///srv/two" }).replica!;
      expect(writeLitestreamConfig("/data/db.sqlite3", second)).toBe(file);
      expect(fs.readFileSync(file, "utf8")).toContain('path: "/srv/two"');
      expect(fs.statSync(file).mode & 0o077).toBe(0);
      expect(fs.readdirSync(path.dirname(file))).toEqual(["litestream.yml"]);
    } finally {
      setEnv(saved);
    }
  });
});
