// Restoring from the continuous replica in this process (the real Litestream binary, a file://
// replica): a point in time gives exactly the data of that moment, recorded as taken then; bad
// input or a moment the replica does not reach is refused in plain words, leaving the database
// as it was and no copy behind; a missing live file is restored at start-up, an existing one never.
import fs from "node:fs";
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { restoreBackup } from "@/lib/backup/restore/restore";
import { readSnapshotInfoOf } from "@/lib/backup/snapshot-info";
import { databasePath, dataDir, replicaSettings } from "@/lib/config";
import { withSqlite } from "@/lib/db/sqlite";
import { newKeyPair } from "@/lib/offsite/encryption";
import { writeLitestreamConfig } from "@/lib/offsite/replica/config-file";
import { ReplicaRestoreError, restoreIfMissing, restoreReplicaTo } from "@/lib/offsite/replica/restore";
import { parseReplicaSource, replicaCopy, withReplicaCopy } from "@/lib/offsite/replica/source";
import { replicaGenerations, windowOf } from "@/lib/offsite/replica/status";
import type { Supervisor } from "@/lib/offsite/replica/supervisor";
import { withLocalCopy } from "@/lib/offsite/source";
import { contentHash, seededDatabase, tempDir } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { shipped, startReplicating } from "@/tests/support/replica";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function write(words: string) {
  withSqlite((db) => db.exec(`UPDATE calendarEditor_machine SET description = '${words}'`), databasePath());
}

/** The replica copies and temporary files left in the data folder. */
const leftovers = () => (fs.existsSync(path.join(dataDir(), "tmp")) ? fs.readdirSync(path.join(dataDir(), "tmp")) : []);

let replication: Supervisor | undefined;
afterEach(async () => {
  await replication?.stop();
  replication = undefined;
  setEnv({ BACKUP_REPLICA_URL: undefined, BACKUP_ENCRYPT_TO: undefined, BACKUP_AGE_IDENTITY: undefined });
});

describe("naming a moment of the replica", () => {
  it("takes replica:latest (spaces around it too) and ISO 8601 times, with or without a zone", () => {
    expect(parseReplicaSource("replica: latest ")).toEqual({});
    const at = (source: string) => parseReplicaSource(source)!.timestamp!.toISOString();
    expect(at("replica:2026-12-05T09:30")).toBe("2026-12-05T09:30:00.000Z");
    expect(at("replica:2026-12-05T09:30:15.250z")).toBe("2026-12-05T09:30:15.250Z");
    expect(at("replica:2026-12-05T10:30:00+0100")).toBe("2026-12-05T09:30:00.000Z");
    expect(at("replica:2026-12-05T04:30:00-05:00")).toBe("2026-12-05T09:30:00.000Z");
  });

  it("refuses a date alone, words, and times that are not ISO 8601, naming the form it takes", () => {
    for (const source of [
      "replica:",
      "replica:2026-12-05",
      "replica:Dec 5 2026 09:30",
      "replica:5/12/2026 09:30",
      "replica:1733391000",
      "replica:x2026-12-05T09:30",
      "replica:2026-12-05T25:30",
      "replica:2026-12-05T09:30:00+01:00Z",
    ]) {
      expect(() => parseReplicaSource(source), source).toThrow(ReplicaRestoreError);
      expect(() => parseReplicaSource(source), source).toThrow(
        `"${source}" names no moment: use replica:latest or replica:2026-12-05T09:30:00Z (ISO 8601; UTC without a zone).`,
      );
    }
  });

  it("leaves other sources alone", () => {
    for (const source of ["backup.json", "s3://lab/replica:latest", "Replica:latest", " replica:latest"]) {
      expect(parseReplicaSource(source), source).toBeNull();
    }
  });
});

describe("a copy of the replica", () => {
  it("at a moment holds exactly the data of that moment, recorded as taken then; latest, its newest change", async () => {
    seededDatabase(20, { seed: 3 });
    replication = startReplicating();
    await shipped();
    const atT = contentHash(databasePath());
    const t = new Date();
    await pause(1500);
    write("changed after t");
    await shipped();

    const then = await replicaCopy(t);
    expect(path.dirname(then)).toBe(path.join(dataDir(), "tmp"));
    expect(contentHash(then)).toBe(atT);
    expect(readSnapshotInfoOf(then)?.takenAt).toBe(t.toISOString());

    const latest = await replicaCopy(undefined);
    expect(contentHash(latest)).toBe(contentHash(databasePath()));
    const newest = windowOf(await replicaGenerations(replicaSettings()!))!.to;
    expect(readSnapshotInfoOf(latest)?.takenAt).toBe(newest.toISOString());

    // Read through withReplicaCopy, the copy is gone afterwards, also when the reading fails.
    let seen = "";
    expect(await withReplicaCopy(t, async (file) => ((seen = file), contentHash(file)))).toBe(atT);
    expect(fs.existsSync(seen)).toBe(false);
    await expect(
      withReplicaCopy(undefined, async (file) => {
        seen = file;
        throw new Error("reading failed");
      }),
    ).rejects.toThrow("reading failed");
    expect(fs.existsSync(seen)).toBe(false);
    expect(leftovers().filter((f) => ![then, latest].map((p) => path.basename(p)).includes(f))).toEqual([]);
  });

  it("restored at t through the restore engine gives back the content at t; a moment it does not reach changes nothing", async () => {
    seededDatabase(15, { seed: 5 });
    replication = startReplicating();
    await shipped();
    const atT = contentHash(databasePath());
    const t = new Date();
    await pause(1500);
    write("changed after t");
    await shipped();
    const now = contentHash(databasePath());

    await expect(
      withLocalCopy("replica:2001-01-01T00:00:00Z", (file) =>
        restoreBackup({ file, actor: "test", source: "cli", label: "replica", silent: true }),
      ),
    ).rejects.toThrow(
      "The replica holds nothing at 2001-01-01T00:00:00.000Z: that is before its oldest or after its newest change.",
    );
    expect(contentHash(databasePath())).toBe(now);
    expect(leftovers()).toEqual([]);

    const restored = await withLocalCopy(`replica:${t.toISOString()}`, (file) =>
      restoreBackup({ file, actor: "test", source: "cli", label: "replica", silent: true }),
    );
    expect(restored.ok).toBe(true);
    expect(contentHash(databasePath())).toBe(atT);
    expect(withSqlite((db) => db.pragma("quick_check", { simple: true }), databasePath())).toBe("ok");
    expect(leftovers()).toEqual([]);
  });

  it("says the replica holds no data yet when nothing has reached it, and leaves no file", async () => {
    seededDatabase(2);
    setEnv({ BACKUP_REPLICA_URL: `file://${tempDir()}/empty-replica` });
    await expect(replicaCopy(undefined)).rejects.toThrow(new ReplicaRestoreError("The replica holds no data yet."));
    expect(leftovers()).toEqual([]);
  });

  it("is refused, before Litestream runs, when no replica is configured or an encrypted one has no identity", async () => {
    seededDatabase(2);
    await expect(replicaCopy(undefined)).rejects.toThrow(
      new ReplicaRestoreError("No replica is configured (BACKUP_REPLICA_URL)."),
    );
    setEnv({
      BACKUP_REPLICA_URL: `file://${tempDir()}/replica`,
      BACKUP_ENCRYPT_TO: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
    });
    await expect(replicaCopy(new Date())).rejects.toThrow(
      "The replica is encrypted and cannot be opened: set BACKUP_AGE_IDENTITY to the private key of BACKUP_ENCRYPT_TO.",
    );
    expect(leftovers()).toEqual([]);
  });

  it("passes on what Litestream said when it fails for another reason, and leaves nothing at the output", async () => {
    const database = seededDatabase(2);
    setEnv({ BACKUP_REPLICA_URL: `file://${tempDir()}/replica` });
    const out = path.join(tempDir(), "out.sqlite3");
    const error = await restoreReplicaTo(out, {
      database,
      // "age" in a folder's name, and in "storage", is no sign of encryption.
      configFile: path.join(tempDir("labq-storage-age-"), "missing.yml"),
      settings: replicaSettings()!,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplicaRestoreError);
    expect((error as Error).message).toMatch(/^Litestream could not restore the replica: .*config file not found/);
    for (const suffix of ["", "-wal", "-shm", ".tmp"]) expect(fs.existsSync(`${out}${suffix}`)).toBe(false);
  });
});

describe("an encrypted replica", () => {
  it("restored with another key than its own says so, and leaves no file", async () => {
    const [own, other] = [await newKeyPair(), await newKeyPair()];
    setEnv({ BACKUP_ENCRYPT_TO: own.recipient, BACKUP_AGE_IDENTITY: own.identity });
    seededDatabase(5, { seed: 6 });
    replication = startReplicating();
    await shipped();
    await replication.stop();
    replication = undefined;
    const copy = await replicaCopy(undefined);
    expect(contentHash(copy)).toBe(contentHash(databasePath()));
    fs.rmSync(copy);

    setEnv({ BACKUP_AGE_IDENTITY: other.identity });
    await expect(replicaCopy(undefined)).rejects.toThrow(
      new ReplicaRestoreError(
        "The replica is encrypted and cannot be opened: set BACKUP_AGE_IDENTITY to the private key of BACKUP_ENCRYPT_TO.",
      ),
    );
    expect(leftovers()).toEqual([]);
  });
});

describe("the live file at start-up", () => {
  it("is restored from the replica when it is missing, and left alone when it exists", async () => {
    const database = seededDatabase(10, { seed: 8 });
    replication = startReplicating();
    await shipped();
    await replication.stop();
    replication = undefined;
    const settings = replicaSettings()!;
    const configFile = writeLitestreamConfig(database, settings);
    const live = contentHash(database);

    write("a change of the live file");
    const own = contentHash(database);
    expect(await restoreIfMissing(database, configFile, settings)).toBe(false);
    expect(contentHash(database)).toBe(own);

    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${database}${suffix}`, { force: true });
    expect(await restoreIfMissing(database, configFile, settings)).toBe(true);
    expect(contentHash(database)).toBe(live);
    // Litestream restores into <file>.tmp and leaves that file's -wal and -shm: none stays beside the live file.
    const beside = fs.readdirSync(path.dirname(database)).filter((f) => f.startsWith(`${path.basename(database)}.tmp`));
    expect(beside).toEqual([]);
  });

  it("stays missing when the replica holds nothing", async () => {
    const database = path.join(tempDir(), "new.sqlite3");
    seededDatabase(1);
    setEnv({ BACKUP_REPLICA_URL: `file://${tempDir()}/empty-replica` });
    const settings = replicaSettings()!;
    const configFile = writeLitestreamConfig(database, settings);
    expect(await restoreIfMissing(database, configFile, settings)).toBe(false);
    expect(fs.existsSync(database)).toBe(false);
  });
});
