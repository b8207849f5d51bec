// The weekly replica check against the real Litestream binary and a file:// replica: it fails,
// in the History, when the replica restored differs from the live data or cannot be restored
// at all, and leaves no restored copy behind either way.
import fs from "node:fs";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { recordSnapshotInfo } from "@/lib/backup/snapshot-info";
import { databasePath, dataDir, replicaSettings } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { openSqlite, withSqlite } from "@/lib/db/sqlite";
import { newKeyPair } from "@/lib/offsite/encryption";
import { checkReplica, contentDigest, firstCheckDelayMs } from "@/lib/offsite/replica/check";
import { readReplicatorState } from "@/lib/offsite/replica/state";
import { replicaGenerations, replicaStatus, windowOf } from "@/lib/offsite/replica/status";
import type { Supervisor } from "@/lib/offsite/replica/supervisor";
import { seededDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { eventually, startReplicating } from "@/tests/support/replica";

let replication: Supervisor | undefined;
const cleanups: (() => void)[] = [];

function write(words: string) {
  withSqlite((db) => db.exec(`UPDATE calendarEditor_machine SET description = '${words}'`), databasePath());
}

/** What the check left in the data folder: its work folders and restored copies. */
function leftovers(): string[] {
  const tmp = path.join(dataDir(), "tmp");
  return [
    ...fs.readdirSync(dataDir()).filter((name) => name.startsWith("replica-check-")),
    ...(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []),
  ];
}

const lastCheck = () =>
  prisma().backupEvent.findFirst({ where: { kind: "replica-check" }, orderBy: { startedAt: "desc" } });

beforeEach(() => {
  seededDatabase(10, { seed: 4 });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await replication?.stop();
  replication = undefined;
  setEnv({ BACKUP_REPLICA_URL: undefined, BACKUP_ENCRYPT_TO: undefined, BACKUP_AGE_IDENTITY: undefined });
});

describe("the replica check", () => {
  it("passes, in the History under who ran it, when the replica restored matches, and leaves no copy", async () => {
    replication = startReplicating();
    await eventually(async () => (await replicaStatus({ fresh: true }))?.window);
    write("checked");
    const result = await checkReplica("cli", "operator");
    expect(result).toEqual({
      ok: true,
      detail: expect.stringMatching(
        /^The replica restored to a temporary file matches the live database \(SHA-256 [0-9a-f]{12}…\)\.$/,
      ),
    });
    expect(await lastCheck()).toEqual(
      expect.objectContaining({ result: "ok", source: "cli", actor: "operator", detail: result.detail }),
    );
    expect(leftovers()).toEqual([]);
  });

  it("fails, in the History, when the replica restored differs from the live data though it looks caught up", async () => {
    replication = startReplicating();
    const window = await eventually(async () => (await replicaStatus({ fresh: true }))?.window);
    // Open throughout, as the server's own connection is: the WAL stays, and with it its time.
    const held = openSqlite(databasePath());
    cleanups.push(() => held.close());
    await replication.stop();
    replication = undefined;
    // A change Litestream never shipped, dated as if it had been: the replica silently drifted.
    write("never shipped");
    const shippedAt = windowOf(await replicaGenerations(replicaSettings()!))!.to;
    expect(shippedAt.getTime()).toBeGreaterThanOrEqual(window.to.getTime());
    for (const file of [databasePath(), `${databasePath()}-wal`]) fs.utimesSync(file, shippedAt, shippedAt);
    const result = await checkReplica();
    expect(result).toEqual({
      ok: false,
      detail: expect.stringMatching(
        /^The replica restored to a temporary file differs from the live database \(SHA-256 ([0-9a-f]{12})… against (?!\1)[0-9a-f]{12}…\)\.$/,
      ),
    });
    expect(await lastCheck()).toEqual(
      expect.objectContaining({ result: "failed", source: "schedule", actor: "replica check", detail: result.detail }),
    );
    expect(leftovers()).toEqual([]);
  }, 90_000);

  it("compares again while the live database is being written, and says it found no quiet moment when it never stops", async () => {
    replication = startReplicating();
    await eventually(async () => (await replicaStatus({ fresh: true }))?.window);
    let n = 0;
    const writer = setInterval(() => write(`busy ${n++}`), 200);
    cleanups.push(() => clearInterval(writer));
    const result = await checkReplica("cli", "test");
    // Not "differs": a replica one write behind a busy database has not drifted.
    expect(result).toEqual({
      ok: false,
      detail: "The live database kept changing; no quiet moment to compare it with the replica.",
    });
    expect(await lastCheck()).toEqual(expect.objectContaining({ result: "failed", detail: result.detail }));
    expect(leftovers()).toEqual([]);
  }, 90_000);

  it("passes when a difference goes away once Litestream ships the change (it looked caught up a moment early)", async () => {
    replication = startReplicating();
    await eventually(async () => (await replicaStatus({ fresh: true }))?.window);
    // Litestream paused, a change it has not shipped yet, dated as if it had been.
    const litestream = readReplicatorState()!.pid!;
    process.kill(litestream, "SIGSTOP");
    cleanups.push(() => {
      try {
        process.kill(litestream, "SIGCONT");
      } catch {
        // Gone already: nothing to wake.
      }
    });
    write("shipped late");
    const shippedAt = windowOf(await replicaGenerations(replicaSettings()!))!.to;
    for (const file of [databasePath(), `${databasePath()}-wal`]) fs.utimesSync(file, shippedAt, shippedAt);
    // Litestream goes on once the first comparison is over: its copy of the replica removed.
    const tmp = path.join(dataDir(), "tmp");
    fs.mkdirSync(tmp, { recursive: true });
    const firstComparisonOver = new Promise<void>((resolve) => {
      const watcher = fs.watch(tmp, (_, name) => {
        if (!name || !/^replica_[0-9a-f]+\.sqlite3$/.test(name) || fs.existsSync(path.join(tmp, name))) return;
        watcher.close();
        resolve();
      });
      cleanups.push(() => watcher.close());
    });
    const checking = checkReplica("cli", "test");
    await firstComparisonOver;
    process.kill(litestream, "SIGCONT");
    const result = await checking;
    expect(result).toEqual({
      ok: true,
      detail: expect.stringMatching(/^The replica restored to a temporary file matches/),
    });
    expect(leftovers()).toEqual([]);
  }, 90_000);

  it("fails saying how long it waited when the replica does not catch up", async () => {
    replication = startReplicating();
    await eventually(async () => (await replicaStatus({ fresh: true }))?.window);
    await replication.stop();
    replication = undefined;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    write("after the stop");
    expect(await checkReplica("cli", "test", { catchUpMs: 2000 })).toEqual({
      ok: false,
      detail: "The replica did not catch up with the live database within 2 s.",
    });
    expect(leftovers()).toEqual([]);
  });

  it("fails, in the History, when the replica cannot be restored, and leaves nothing behind", async () => {
    const { identity, recipient } = await newKeyPair();
    setEnv({ BACKUP_ENCRYPT_TO: recipient, BACKUP_AGE_IDENTITY: identity });
    replication = startReplicating();
    await eventually(async () => (await replicaStatus({ fresh: true }))?.window);
    setEnv({ BACKUP_AGE_IDENTITY: undefined });
    const result = await checkReplica("cli", "test");
    expect(result).toEqual({
      ok: false,
      detail:
        "The replica could not be restored: The replica is encrypted and cannot be opened: set BACKUP_AGE_IDENTITY to the private key of BACKUP_ENCRYPT_TO.",
    });
    expect(await lastCheck()).toEqual(expect.objectContaining({ result: "failed", detail: result.detail }));
    expect(leftovers()).toEqual([]);
  });

  it("fails, in the History, when no replica is configured", async () => {
    expect(await checkReplica("cli", "test")).toEqual({
      ok: false,
      detail: "No continuous replica is configured (BACKUP_REPLICA_URL).",
    });
    expect(await lastCheck()).toEqual(expect.objectContaining({ result: "failed", source: "cli", actor: "test" }));
  });
});

describe("the check's digest", () => {
  it("covers the schema and every table's rows, but not the History, the snapshot's own record or statistics", () => {
    const db = databasePath();
    const before = contentDigest(db);
    withSqlite((live) => {
      live.exec(
        "INSERT INTO backup_event (kind, source, actor, result, started_at) VALUES ('push', 'cli', 'x', 'ok', 0)",
      );
      live.exec("ANALYZE");
    }, db);
    recordSnapshotInfo(db, { takenAt: "2026-12-05T09:00:00.000Z" });
    expect(contentDigest(db)).toBe(before);

    withSqlite((live) => live.exec("CREATE INDEX extra_index ON calendarEditor_machine (description)"), db);
    const indexed = contentDigest(db);
    expect(indexed).not.toBe(before);
    withSqlite(
      (live) =>
        live.exec("DELETE FROM calendarEditor_machine WHERE rowid = (SELECT MAX(rowid) FROM calendarEditor_machine)"),
      db,
    );
    expect(contentDigest(db)).not.toBe(indexed);
  });
});

describe("the first weekly check after a start", () => {
  const MINUTE = 60_000;
  const DAY = 24 * 60 * MINUTE;
  const now = Date.parse("2026-12-05T12:00:00Z");
  const recorded = (kind: "replica-check" | "push", ago: number, result = "ok") =>
    prisma().backupEvent.create({
      data: { kind, source: "schedule", actor: "replica check", result, startedAt: new Date(now - ago) },
    });

  it("waits ten minutes when no check was ever made, or the last is a week old or more", async () => {
    expect(await firstCheckDelayMs(now)).toBe(10 * MINUTE);
    await recorded("replica-check", 8 * DAY);
    expect(await firstCheckDelayMs(now)).toBe(10 * MINUTE);
  });

  it("is due a week after the newest check in the History, whatever its result, never within ten minutes", async () => {
    await recorded("replica-check", 6 * DAY);
    await recorded("replica-check", 2 * DAY, "failed");
    await recorded("push", 1 * DAY);
    expect(await firstCheckDelayMs(now)).toBe(5 * DAY);
    await recorded("replica-check", 7 * DAY - 5 * MINUTE);
    expect(await firstCheckDelayMs(now)).toBe(5 * DAY);
    expect(await firstCheckDelayMs(now + 5 * DAY - MINUTE)).toBe(10 * MINUTE);
  });
});
