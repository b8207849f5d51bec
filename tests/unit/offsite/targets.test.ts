// Which off-site targets a server has (from its settings), what a push writes to, and the
// rules every target shares: a reply within the provider timeout, backups newest first, the
// date a backup's name carries.
import { afterEach, describe, expect, it, vi } from "vitest";

import { configuredTargets, pushTarget, targetOf } from "@/lib/offsite/targets";
import {
  answerWithin,
  backupNameDate,
  newestFirst,
  TargetError,
  type OffsiteBackup,
} from "@/lib/offsite/targets/target";
import { setEnv } from "@/tests/support/env";

const S3 = {
  BACKUP_S3_URL: "s3://lab-backups/queue",
  BACKUP_S3_ENDPOINT: "http://127.0.0.1:9",
  AWS_ACCESS_KEY_ID: "S3RVER",
  AWS_SECRET_ACCESS_KEY: "S3RVER",
  AWS_REGION: "us-east-1",
};
const GITHUB = { GITHUB_REPO: "lab/queue", GITHUB_TOKEN: "ghp_unit0123456789abcdefABCDEF012345" };
const NONE = Object.fromEntries([...Object.keys(S3), ...Object.keys(GITHUB)].map((k) => [k, undefined]));

afterEach(() => {
  setEnv(NONE);
  vi.useRealTimers();
});

const configured = () => configuredTargets().map((t) => [t.kind, t.label]);

describe("the off-site targets a server has", () => {
  it("are the ones whose settings are given: S3, GitHub, both or none", () => {
    setEnv({ ...NONE, ...S3 });
    expect(configured()).toEqual([["s3", "s3://lab-backups/queue"]]);
    setEnv({ ...NONE, ...GITHUB });
    expect(configured()).toEqual([["github", "github.com/lab/queue (database-backups)"]]);
    setEnv({ ...S3, ...GITHUB });
    expect(configured()).toEqual([
      ["s3", "s3://lab-backups/queue"],
      ["github", "github.com/lab/queue (database-backups)"],
    ]);
    setEnv(NONE);
    expect(configured()).toEqual([]);
  });

  it("are chosen by kind, and a kind that is not configured is a clear error", () => {
    setEnv({ ...S3, ...GITHUB });
    expect(targetOf("s3").label).toBe("s3://lab-backups/queue");
    expect(targetOf("github").label).toBe("github.com/lab/queue (database-backups)");
    setEnv({ ...NONE, ...GITHUB });
    expect(() => targetOf("s3")).toThrow(new TargetError("No S3 target is configured on this server."));
    setEnv({ ...NONE, ...S3 });
    expect(() => targetOf("github")).toThrow(new TargetError("No GitHub target is configured on this server."));
  });

  it("push to S3 only; with GitHub alone, a push says what to set", () => {
    setEnv({ ...S3, ...GITHUB });
    expect([pushTarget().kind, pushTarget().label]).toEqual(["s3", "s3://lab-backups/queue"]);
    setEnv({ ...NONE, ...GITHUB });
    const error = (() => {
      try {
        pushTarget();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TargetError);
    expect((error as Error).message).toBe(
      "No S3 target is configured: set BACKUP_S3_URL=s3://bucket/prefix (and BACKUP_S3_ENDPOINT for stores other than AWS).",
    );
  });
});

describe("a target's reply", () => {
  it("is the answer when it comes in time, its error when it fails, and leaves no timer running", async () => {
    vi.useFakeTimers();
    await expect(answerWithin(Promise.resolve("listed"), 15_000, "s3://lab-backups/queue")).resolves.toBe("listed");
    await expect(answerWithin(Promise.reject(new Error("refused")), 15_000, "s3://x")).rejects.toThrow("refused");
    // A timer left behind would keep a finished CLI waiting for it before it exits.
    expect(vi.getTimerCount()).toBe(0);
  });

  it("is a 'not answering' error, in seconds, once the timeout has passed, and not before", async () => {
    vi.useFakeTimers();
    let outcome: unknown = "waiting";
    void answerWithin(new Promise(() => {}), 2_500, "s3://lab-backups/queue").catch((e: unknown) => (outcome = e));
    await vi.advanceTimersByTimeAsync(2_499);
    expect(outcome).toBe("waiting");
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBeInstanceOf(TargetError);
    expect((outcome as Error).message).toBe(
      "s3://lab-backups/queue is not answering (no reply in 3 s). Try again later.",
    );
  });
});

describe("backups' names and order", () => {
  const backup = (name: string): OffsiteBackup => ({
    target: "s3",
    key: `queue/${name}`,
    name,
    bytes: 1,
    date: backupNameDate(name)!,
    sha256: null,
    verified: true,
  });

  it("a backup's name carries the date it was made; other names carry none", () => {
    expect(backupNameDate("database_backup_2026-11-02_08-30-15.json.gz.age")).toEqual(new Date("2026-11-02T08:30:15Z"));
    expect(backupNameDate("database_backup_2026-11-02_08-30-15.json")).toEqual(new Date("2026-11-02T08:30:15Z"));
    expect(backupNameDate("database_backup_latest.json")).toBeNull();
    // Shaped like a date, but none: not a backup's name.
    expect(backupNameDate("database_backup_2026-13-45_00-00-00.json")).toBeNull();
  });

  it("are newest first; of two made the same second, the compressed (then the encrypted) one first", () => {
    const names = [
      "database_backup_2026-11-01_00-00-00.json.gz",
      "database_backup_2026-11-02_00-00-00.json",
      "database_backup_2026-11-02_00-00-00.json.gz.age",
      "database_backup_2026-11-02_00-00-00.json.gz",
    ];
    expect(
      names
        .map(backup)
        .sort(newestFirst)
        .map((b) => b.name),
    ).toEqual([
      "database_backup_2026-11-02_00-00-00.json.gz.age",
      "database_backup_2026-11-02_00-00-00.json.gz",
      "database_backup_2026-11-02_00-00-00.json",
      "database_backup_2026-11-01_00-00-00.json.gz",
    ]);
  });
});
