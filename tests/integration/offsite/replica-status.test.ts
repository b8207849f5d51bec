// Is every change on its way to the replica? The status behind the Continuous replica card,
// the banner and the status route, against the real Litestream binary and a file:// replica.
import fs from "node:fs";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { GET as statusGet } from "@/app/schedule/api/backup/status/route";
import { databasePath } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { withSqlite } from "@/lib/db/sqlite";
import { checkReplica, contentDigest } from "@/lib/offsite/replica/check";
import { readReplicatorState } from "@/lib/offsite/replica/state";
import { replicaStatus } from "@/lib/offsite/replica/status";
import type { Supervisor } from "@/lib/offsite/replica/supervisor";
import { seededDatabase, tempDir } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { testKey } from "@/tests/support/keys";
import { eventually, startReplicating } from "@/tests/support/replica";

const KEY = testKey("replica-status");
let replication: Supervisor | undefined;

async function statusRoute() {
  const request = new Request("http://localhost/schedule/api/backup/status/", {
    headers: { authorization: `Bearer ${KEY}`, "x-forwarded-for": "10.9.0.1" },
  });
  const response = await statusGet(request);
  return {
    code: response.status,
    body: (await response.json()) as { ok: boolean; replica: Record<string, unknown> | null },
  };
}

function write() {
  withSqlite((db) => db.exec("UPDATE calendarEditor_machine SET description = description || '.'"), databasePath());
}

beforeEach(async () => {
  seededDatabase(10);
  setEnv({ BACKUP_API_KEY: KEY });
  // The weekly off-site backup is on time: only the replica decides the answers below.
  await prisma().backupEvent.create({ data: { kind: "push", source: "api", actor: "test", result: "ok" } });
});
afterEach(async () => {
  await replication?.stop();
  replication = undefined;
  setEnv({ BACKUP_API_KEY: undefined });
  setEnv({ BACKUP_REPLICA_URL: undefined });
  setEnv({ BACKUP_REPLICA_MAX_LAG: undefined });
});

describe("the replica's status", () => {
  it("is absent, and the route unaffected, when no replica is configured", async () => {
    expect(await replicaStatus()).toBeNull();
    expect(await statusRoute()).toEqual({ code: 200, body: expect.objectContaining({ ok: true, replica: null }) });
  });

  it("answers 503 when a replica is configured but nothing runs Litestream", async () => {
    setEnv({ BACKUP_REPLICA_URL: `file://${tempDir()}/replica` });
    const status = await replicaStatus({ fresh: true });
    expect(status).toEqual(expect.objectContaining({ state: "off", problem: expect.stringMatching(/not running/) }));
    const { code, body } = await statusRoute();
    expect(code).toBe(503);
    expect(body.replica).toEqual(expect.objectContaining({ ok: false, state: "off" }));
  });

  it("reports no lag and the window while Litestream keeps up; 503 once it has stopped", async () => {
    replication = startReplicating();
    const sound = await eventually(async () => {
      const status = await replicaStatus({ fresh: true });
      return status?.window && status.problem === null ? status : null;
    });
    expect(sound.state).toBe("running");
    expect(sound.lagMs).toBe(0);
    // When the newest change reached the replica: within the window's last second, not later than now.
    expect(sound.lastShippedAt!.getTime()).toBeGreaterThanOrEqual(sound.window!.to.getTime() - 1000);
    expect(sound.lastShippedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(sound.window!.to.getTime()).toBeGreaterThanOrEqual(sound.window!.from.getTime());
    expect((await statusRoute()).code).toBe(200);

    await replication.stop();
    replication = undefined;
    expect(readReplicatorState()?.state).toBe("stopped");
    const { code, body } = await statusRoute();
    expect(code).toBe(503);
    expect(body.replica).toEqual(
      expect.objectContaining({ state: "stopped", problem: expect.stringMatching(/stopped/) }),
    );
  });

  it("answers 503 when changes wait longer than BACKUP_REPLICA_MAX_LAG while Litestream hangs", async () => {
    setEnv({ BACKUP_REPLICA_MAX_LAG: "2s" });
    replication = startReplicating();
    await eventually(async () => (await replicaStatus({ fresh: true }))?.window);
    const pid = readReplicatorState()!.pid!;
    process.kill(pid, "SIGSTOP");
    try {
      write();
      expect((await replicaStatus({ fresh: true }))!.problem).toBeNull();
      const behind = await eventually(async () => {
        const status = await replicaStatus({ fresh: true });
        return status?.problem ? status : null;
      });
      expect(behind.state).toBe("running");
      expect(behind.lagMs).toBeGreaterThan(2000);
      expect(behind.problem).toMatch(/waited \d+ s to be copied/);
      expect((await statusRoute()).code).toBe(503);
    } finally {
      process.kill(pid, "SIGCONT");
    }
    await eventually(async () => (await replicaStatus({ fresh: true }))?.lagMs === 0);
  });

  it("counts the wait from the first unshipped commit while commits keep coming and Litestream ships none", async () => {
    setEnv({ BACKUP_REPLICA_MAX_LAG: "2s" });
    replication = startReplicating();
    await eventually(async () => (await replicaStatus({ fresh: true }))?.window);
    const pid = readReplicatorState()!.pid!;
    process.kill(pid, "SIGSTOP");
    try {
      write();
      const first = Date.now();
      expect((await replicaStatus({ fresh: true }))!.problem).toBeNull();
      // A commit at every look: the newest is never old, the first one waits on. Read as the
      // banner reads it (cached for a few seconds), the status gets there too.
      const behind = await eventually(async () => {
        write();
        const status = await replicaStatus();
        return status?.problem ? status : null;
      });
      expect(behind.lagMs).toBeGreaterThan(2000);
      expect(behind.lagMs).toBeLessThanOrEqual(Date.now() - first + 100);
      expect(behind.reason).toBe("replica-behind");
      expect(behind.problem).toBe(
        `Changes have waited ${Math.round(behind.lagMs! / 1000)} s to be copied to the replica (the limit is 2 s).`,
      );
    } finally {
      process.kill(pid, "SIGCONT");
    }
    await eventually(async () => (await replicaStatus({ fresh: true }))?.lagMs === 0);
  });

  it("reads no lag once Litestream has stopped after shipping and the WAL is gone", async () => {
    replication = startReplicating();
    await eventually(async () => (await replicaStatus({ fresh: true }))?.window);
    await replication.stop();
    replication = undefined;
    await prisma().$disconnect();
    // The last connection to close checkpoints and removes the WAL.
    withSqlite((db) => db.pragma("wal_checkpoint(TRUNCATE)"), databasePath());
    expect(fs.existsSync(`${databasePath()}-wal`)).toBe(false);
    expect(await replicaStatus({ fresh: true })).toEqual(
      expect.objectContaining({ state: "stopped", lagMs: 0, reason: "replica-stopped" }),
    );
  });

  it("the replica check finds the replica restored equal to the live database, and says so in the History", async () => {
    replication = startReplicating();
    await eventually(async () => (await replicaStatus({ fresh: true }))?.window);
    write();
    const result = await checkReplica("cli", "test");
    expect(result).toEqual({ ok: true, detail: expect.stringMatching(/matches the live database/) });
    const event = await prisma().backupEvent.findFirst({ where: { kind: "replica-check" } });
    expect(event).toEqual(expect.objectContaining({ result: "ok", source: "cli" }));
  });

  it("the replica check fails, in the History, when the replica lacks the live database's last change", async () => {
    replication = startReplicating();
    await eventually(async () => (await replicaStatus({ fresh: true }))?.window);
    await replication.stop();
    replication = undefined;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    write();
    const result = await checkReplica("cli", "test", { catchUpMs: 2000 });
    expect(result).toEqual({ ok: false, detail: expect.stringMatching(/did not catch up/) });
    const event = await prisma().backupEvent.findFirst({ where: { kind: "replica-check" } });
    expect(event).toEqual(expect.objectContaining({ result: "failed" }));
  });

  it("compares content, not Litestream's bookkeeping: one changed row changes the digest", () => {
    const db = databasePath();
    const before = contentDigest(db);
    withSqlite((live) => live.exec("CREATE TABLE _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER)"), db);
    expect(contentDigest(db)).toBe(before);
    write();
    expect(contentDigest(db)).not.toBe(before);
  });
});
