// The environment is checked against one schema: a value the app cannot use is refused with
// the variable's name and what it accepts, never replaced by a default in silence.
import { describe, expect, it } from "vitest";

import { ConfigError, MIN_KEY_LENGTH, parseConfig } from "@/lib/config";
import { testKey } from "@/tests/support/keys";

function refusal(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(env)} was accepted`);
}

describe("the configuration", () => {
  it.each([
    ["MAX_DATABASE_SIZE_MB", "lots", /MAX_DATABASE_SIZE_MB must be a number of megabytes above 0/],
    ["MAX_DATABASE_SIZE_MB", "0", /MAX_DATABASE_SIZE_MB must be/],
    ["MAX_UPLOAD_BYTES", "abc", /MAX_UPLOAD_BYTES must be a whole number of bytes/],
    ["MAX_UPLOAD_BYTES", "1.5", /MAX_UPLOAD_BYTES must be/],
    ["MAX_UPLOAD_BYTES", "-5", /MAX_UPLOAD_BYTES must be/],
    ["BACKUP_PUSH_EVERY", "banana", /BACKUP_PUSH_EVERY must be a number and a unit: s, m, h or d/],
    ["BACKUP_S3_URL", "https://bucket.example.org", /BACKUP_S3_URL must be s3:\/\/bucket or s3:\/\/bucket\/prefix/],
    ["BACKUP_S3_ENDPOINT", "localhost:9000", /BACKUP_S3_ENDPOINT must be the http:\/\/ or https:\/\//],
    ["BACKUP_EXPORT_CONCURRENCY", "0", /BACKUP_EXPORT_CONCURRENCY must be a whole number of exports/],
    ["BACKUP_API_MAX_FAILURES", "many", /BACKUP_API_MAX_FAILURES must be/],
    ["BACKUP_MAX_AGE_HOURS", "a week", /BACKUP_MAX_AGE_HOURS must be a number of hours/],
    ["BACKUP_KEEP_DAILY", "-1", /BACKUP_KEEP_DAILY must be a whole number of backups, 0 or more/],
    ["BACKUP_ENCRYPT_TO", "age1tooshort", /BACKUP_ENCRYPT_TO must be age public keys/],
    ["GITHUB_REPO", "just-a-name", /GITHUB_REPO must be owner\/name/],
    [
      "BACKUP_REPLICA_URL",
      "file://relative/path",
      /BACKUP_REPLICA_URL must be s3:\/\/bucket\/path or file:\/\/\/absolute\/path/,
    ],
    ["BACKUP_REPLICA_RETENTION", "30m", /BACKUP_REPLICA_RETENTION must be a whole number and a unit, at least an hour/],
    ["BACKUP_REPLICA_MAX_LAG", "1.5m", /BACKUP_REPLICA_MAX_LAG must be a whole number and a unit/],
    ["TRUST_PROXY", "yes", /TRUST_PROXY must be true, false or the number of proxies/],
    ["SIGNIN_MAX_FAILURES", "0", /SIGNIN_MAX_FAILURES must be a whole number of failed sign-ins, at least 1/],
    ["PORT", "70000", /PORT must be a port number from 1 to 65535/],
    ["SEED_DEMO_DATA", "yes please", /SEED_DEMO_DATA must be 1 .* or 0/],
    ["NEXTAUTH_URL", "lab.example.org", /NEXTAUTH_URL must be the app's public http:\/\/ or https:\/\/ address/],
  ])("refuses %s=%s, naming it and what it accepts", (name, value, message) => {
    const error = refusal({ [name]: value });
    expect(error.message).toMatch(message);
    expect(error.problems.map((p) => p.name)).toEqual([name]);
  });

  describe("bearer keys", () => {
    it.each([
      ["BACKUP_API_KEY", "api-key-1"],
      ["BACKUP_STATUS_KEY", "x".repeat(MIN_KEY_LENGTH - 1)],
      ["BACKUP_API_KEY", `${"k".repeat(MIN_KEY_LENGTH)} with spaces`],
    ])("refuses %s that is too short or cannot travel in a header, without repeating it", (name, key) => {
      const error = refusal({ [name]: key });
      expect(error.problems).toEqual([
        {
          name,
          accepts: expect.stringContaining(`at least ${MIN_KEY_LENGTH} characters of letters, digits`) as string,
        },
      ]);
      expect(error.message).toContain("openssl rand -base64 32");
      expect(error.message).not.toContain(key);
    });

    it("accepts a key of exactly the minimum length, and the generated test keys", () => {
      const shortest = "k".repeat(MIN_KEY_LENGTH);
      expect(parseConfig({ BACKUP_API_KEY: shortest }).backupApi.key).toBe(shortest);
      const keys = { BACKUP_API_KEY: testKey("config-export"), BACKUP_STATUS_KEY: testKey("config-status") };
      expect(parseConfig(keys).backupApi).toMatchObject({
        key: keys.BACKUP_API_KEY,
        statusKey: keys.BACKUP_STATUS_KEY,
      });
    });

    it("refuses a status key equal to the backup key: a monitor would hold the database", () => {
      const key = testKey("config-same");
      const error = refusal({ BACKUP_API_KEY: key, BACKUP_STATUS_KEY: key });
      expect(error.problems.map((p) => p.name)).toEqual(["BACKUP_STATUS_KEY"]);
      expect(error.message).toMatch(/BACKUP_STATUS_KEY must be a key of its own, different from BACKUP_API_KEY/);
      expect(error.message).not.toContain(key);
    });
  });

  it("names every bad variable at once, and never repeats a secret it refuses", () => {
    const error = refusal({
      MAX_UPLOAD_BYTES: "abc",
      BACKUP_PUSH_EVERY: "banana",
      BACKUP_AGE_IDENTITY: "not-a-key-but-secret-9f8e7d",
    });
    expect(error.problems.map((p) => p.name).sort()).toEqual(
      ["BACKUP_AGE_IDENTITY", "BACKUP_PUSH_EVERY", "MAX_UPLOAD_BYTES"].sort(),
    );
    expect(error.message).not.toContain("not-a-key-but-secret-9f8e7d");
    expect(error.message).not.toContain("banana");
  });

  it("reads what it accepts: sizes, durations, the S3 target and its connection", () => {
    const config = parseConfig({
      MAX_UPLOAD_BYTES: "1048576",
      MAX_DATABASE_SIZE_MB: "1.5",
      BACKUP_PUSH_EVERY: "6h",
      BACKUP_S3_URL: "s3://lab-backups/queue/",
      BACKUP_S3_ENDPOINT: "http://127.0.0.1:9000",
      AWS_ACCESS_KEY_ID: "id",
      AWS_SECRET_ACCESS_KEY: "secret",
      BACKUP_KEEP_WEEKLY: "0",
    });
    expect(config.maxUploadBytes).toBe(1048576);
    expect(config.maxDatabaseBytes).toBe(1.5 * 1024 * 1024);
    expect(config.pushEveryMs).toBe(6 * 3_600_000);
    expect(config.s3).toEqual({
      bucket: "lab-backups",
      prefix: "queue",
      endpoint: "http://127.0.0.1:9000",
      region: "us-east-1",
      credentials: { accessKeyId: "id", secretAccessKey: "secret" },
    });
    expect(config.pushRetention).toEqual({ daily: 14, weekly: 0 });
  });

  it("reads the Litestream replica: where, how long it keeps, how much lag it allows", () => {
    const config = parseConfig({
      BACKUP_REPLICA_URL: "s3://lab-replica/db/",
      BACKUP_REPLICA_RETENTION: "7d",
      BACKUP_S3_ENDPOINT: "http://127.0.0.1:9000",
    });
    expect(config.replica).toMatchObject({
      destination: {
        kind: "s3",
        bucket: "lab-replica",
        prefix: "db",
        connection: { endpoint: "http://127.0.0.1:9000" },
      },
      retention: "168h",
      maxLagMs: 60_000,
      ageRecipients: [],
    });
    expect(parseConfig({ BACKUP_REPLICA_URL: "file:///srv/replica" }).replica?.destination).toEqual({
      kind: "file",
      path: "/srv/replica",
    });
    expect(parseConfig({}).replica).toBeUndefined();
  });

  it("counts the proxies whose X-Forwarded-For it believes: TRUST_PROXY, else one for AUTH_TRUST_HOST, else none", () => {
    expect(parseConfig({ TRUST_PROXY: "true" }).trustedProxies).toBe(1);
    expect(parseConfig({ TRUST_PROXY: "FALSE", AUTH_TRUST_HOST: "true" }).trustedProxies).toBe(0);
    expect(parseConfig({ TRUST_PROXY: "2" }).trustedProxies).toBe(2);
    expect(parseConfig({ AUTH_TRUST_HOST: "true" }).trustedProxies).toBe(1);
    expect(parseConfig({}).trustedProxies).toBe(0);
  });

  it("takes blank values as unset, and gives the documented defaults", () => {
    const config = parseConfig({ MAX_UPLOAD_BYTES: " ", BACKUP_PUSH_EVERY: "" });
    expect(config.maxUploadBytes).toBe(512 * 1024 * 1024);
    expect(config.maxDatabaseBytes).toBe(1024 * 1024 * 1024);
    expect(config.pushEveryMs).toBeUndefined();
    expect(config.exportConcurrency).toBe(4);
    expect(config.backupApi.maxFailures).toBe(5);
    expect(config.backupMaxAgeHours).toBe(192);
  });

  it("is frozen: code that reads it cannot change it for the rest of the process", () => {
    const config = parseConfig({ BACKUP_S3_URL: "s3://lab-backups" });
    expect(() => {
      (config as { maxUploadBytes: number }).maxUploadBytes = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.s3 as { bucket: string }).bucket = "elsewhere";
    }).toThrow(TypeError);
  });
});
