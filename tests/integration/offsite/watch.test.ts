// Is the data safe off-site? The status behind the banner and the status route, computed from
// the history of confirmed stores (pushes, workflows' reports, listings) and drill reports.
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { GET as handleBackupApiRequest } from "@/app/schedule/api/backup/database/route";
import { POST as handleDrillReport } from "@/app/schedule/api/backup/drill/route";
import { GET as handleStatusRequest } from "@/app/schedule/api/backup/status/route";
import { POST as handleStoredReport } from "@/app/schedule/api/backup/stored/route";
import { prisma } from "@/lib/db/prisma";
import { SOCKET_ADDRESS_HEADER } from "@/lib/http/rate-limit";
import { offsiteStatus, recordListedBackup } from "@/lib/offsite/watch";
import { seededDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { testKey } from "@/tests/support/keys";
import { asUnderNpmStart } from "@/tests/support/socket-address";

const KEY = testKey("watch");
const HOUR_MS = 3_600_000;
let clientCounter = 0;

function request(path: string, init: RequestInit & { key?: string; client?: string } = {}) {
  const headers: Record<string, string> = { [SOCKET_ADDRESS_HEADER]: init.client ?? `10.1.0.${++clientCounter}` };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  return new Request(`http://localhost/schedule/api/backup/${path}/`, { ...init, headers });
}

async function exportedHoursAgo(hours: number, source = "api", result = "ok") {
  await prisma().backupEvent.create({
    data: { kind: "export", source, actor: "test", result, startedAt: new Date(Date.now() - hours * HOUR_MS) },
  });
}

/** A copy a target confirmed it stores (a push, or a workflow's report), `hours` ago. */
async function storedHoursAgo(hours: number, result = "ok") {
  await prisma().backupEvent.create({
    data: { kind: "push", source: "api", actor: "test", result, startedAt: new Date(Date.now() - hours * HOUR_MS) },
  });
}

const SHA = "a".repeat(64);
const storedBody = (name = "database_backup_2026-12-01_00-00-00.json.gz") =>
  JSON.stringify({ name, bytes: 1234, sha256: SHA, target: "github.com/lab/queue (database-backups)" });

beforeEach(() => {
  seededDatabase(10);
  setEnv({ BACKUP_API_KEY: KEY });
});
afterEach(() => {
  setEnv({ BACKUP_API_KEY: undefined, BACKUP_MAX_AGE_HOURS: undefined, BACKUP_STATUS_KEY: undefined });
});

asUnderNpmStart();

describe("off-site status", () => {
  it("is 'never' until a target confirms a copy stored: exports served, to automation or not, never count", async () => {
    await exportedHoursAgo(1, "ui");
    await exportedHoursAgo(1, "cli");
    await exportedHoursAgo(1, "api");
    await storedHoursAgo(1, "failed");
    expect((await offsiteStatus()).level).toBe("never");
    await storedHoursAgo(2);
    const status = await offsiteStatus();
    expect(status.level).toBe("ok");
    expect(status.ageHours).toBeCloseTo(2, 1);
  });

  it("an export fetched with the key leaves the status route at 503; a reported store turns it 200", async () => {
    const exported = await handleBackupApiRequest(request("database", { key: KEY }));
    expect(exported.status).toBe(200);
    await exported.text();
    expect((await handleStatusRequest(request("status", { key: KEY }))).status).toBe(503);
    const post = handleStoredReport(request("stored", { method: "POST", key: KEY, body: storedBody() }));
    expect((await post).status).toBe(201);
    const status = await handleStatusRequest(request("status", { key: KEY }));
    expect(status.status).toBe(200);
    expect(((await status.json()) as { age_hours: number }).age_hours).toBe(0);
    const recorded = await prisma().backupEvent.findFirstOrThrow({ where: { kind: "push" } });
    expect(recorded).toMatchObject({ source: "api", actor: "backup workflow", bytes: 1234, sha256: SHA });
    expect(recorded.detail).toBe(
      "database_backup_2026-12-01_00-00-00.json.gz stored in github.com/lab/queue (database-backups) (1.2 KiB)",
    );
  });

  it("a store report needs the backup key and a well-formed body; anything else records nothing", async () => {
    const post = (body: string, key?: string) => handleStoredReport(request("stored", { method: "POST", key, body }));
    expect((await post(storedBody())).status).toBe(401);
    expect((await post(storedBody(), "wrong-key")).status).toBe(403);
    setEnv({ BACKUP_STATUS_KEY: testKey("watch-status") });
    expect((await post(storedBody(), testKey("watch-status"))).status).toBe(403);
    for (const body of [
      "not json",
      "{}",
      storedBody("backup.json"),
      storedBody().replace(SHA, "A".repeat(64)),
      storedBody().replace("1234", "-1"),
      storedBody().replace('"target":"github.com/lab/queue (database-backups)"', '"target":""'),
    ]) {
      expect((await post(body, KEY)).status, body).toBe(400);
    }
    expect(await prisma().backupEvent.count({ where: { kind: "push" } })).toBe(0);
  });

  it("a backup a target lists counts once, when it is newer than every confirmed one", async () => {
    const listed = (hoursAgo: number) => ({
      target: "s3" as const,
      key: `p/x${hoursAgo}`,
      name: `x${hoursAgo}`,
      bytes: 10,
      date: new Date(Date.now() - hoursAgo * HOUR_MS),
      sha256: SHA,
      verified: false,
    });
    await storedHoursAgo(5);
    expect(await recordListedBackup(listed(6), "s3://b")).toBe(false);
    const newer = listed(3);
    expect(await recordListedBackup(newer, "s3://b")).toBe(true);
    expect(await recordListedBackup(newer, "s3://b")).toBe(false);
    expect((await offsiteStatus()).ageHours).toBeCloseTo(3, 1);
    // In History as what it is: found by a listing, not reported by anyone.
    const found = await prisma().backupEvent.findFirstOrThrow({
      where: { kind: "push" },
      orderBy: { startedAt: "desc" },
    });
    expect(found).toMatchObject({
      source: "ui",
      actor: "Cloud Backups listing",
      result: "ok",
      bytes: 10,
      sha256: SHA,
      detail: "x3 found in s3://b (10 B)",
      startedAt: newer.date,
    });
  });

  it("a listed backup dated in the future (a wrong clock, a made-up name) does not count", async () => {
    const ahead = { target: "s3" as const, key: "p/x", name: "x", bytes: 10, sha256: null, verified: false };
    expect(await recordListedBackup({ ...ahead, date: new Date(Date.now() + HOUR_MS) }, "s3://b")).toBe(false);
    expect((await offsiteStatus()).level).toBe("never");
    expect(await prisma().backupEvent.count()).toBe(0);
  });

  it("is fresh up to exactly BACKUP_MAX_AGE_HOURS after the last off-site backup, stale a moment later", async () => {
    await storedHoursAgo(1);
    const { lastBackupAt } = await offsiteStatus();
    const limit = new Date(lastBackupAt!.getTime() + 192 * HOUR_MS);
    expect(await offsiteStatus(limit)).toMatchObject({ level: "ok", ageHours: 192 });
    expect((await offsiteStatus(new Date(limit.getTime() + 1))).level).toBe("stale");
  });

  it("shows the last push, failed or not, beside the last backup that is off-site", async () => {
    await storedHoursAgo(5);
    const failedAt = new Date(Date.now() - HOUR_MS);
    await prisma().backupEvent.create({
      data: {
        kind: "push",
        source: "schedule",
        actor: "schedule",
        result: "failed",
        detail: "disk full",
        startedAt: failedAt,
      },
    });
    await prisma().backupEvent.create({
      data: {
        kind: "drill",
        source: "api",
        actor: "restore drill",
        result: "ok",
        detail: "passed",
        startedAt: failedAt,
      },
    });
    const status = await offsiteStatus();
    expect(status.ageHours).toBeCloseTo(5, 1);
    expect(status.lastPush).toEqual({ at: failedAt, ok: false, detail: "disk full", warning: null });
    expect(status.lastDrill).toEqual({ at: failedAt, ok: true, detail: "passed", warning: null });
  });

  it("turns stale past BACKUP_MAX_AGE_HOURS (default 192), judged by the newest off-site backup", async () => {
    await storedHoursAgo(300);
    await storedHoursAgo(193);
    expect(await offsiteStatus()).toMatchObject({ level: "stale", maxAgeHours: 192 });
    setEnv({ BACKUP_MAX_AGE_HOURS: "200" });
    expect((await offsiteStatus()).level).toBe("ok");
  });

  it("the status route answers 200 while fresh and 503 when stale, with the documented fields", async () => {
    await storedHoursAgo(10);
    const fresh = await handleStatusRequest(request("status", { key: KEY }));
    expect(fresh.status).toBe(200);
    const body = (await fresh.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      [
        "age_hours",
        "last_backup_at",
        "last_restore_drill_at",
        "last_restore_drill_ok",
        "max_age_hours",
        "ok",
        "replica",
      ].sort(),
    );
    expect(body).toMatchObject({
      ok: true,
      age_hours: 10,
      max_age_hours: 192,
      last_restore_drill_at: null,
      replica: null,
    });

    setEnv({ BACKUP_MAX_AGE_HOURS: "5" });
    const stale = await handleStatusRequest(request("status", { key: KEY }));
    expect(stale.status).toBe(503);
    expect(await stale.json()).toMatchObject({ ok: false, age_hours: 10, max_age_hours: 5 });
  });

  it("shares the export's failure limit: guesses at the status route block the export too", async () => {
    const attacker = "203.0.113.77";
    for (let i = 0; i < 5; i++) {
      expect((await handleStatusRequest(request("status", { key: `guess-${i}`, client: attacker }))).status).toBe(403);
    }
    const blocked = await handleBackupApiRequest(request("database", { key: KEY, client: attacker }));
    expect(blocked.status).toBe(429);
  });
});

describe("drill reports", () => {
  const post = (body: string, key = KEY) => handleDrillReport(request("drill", { method: "POST", body, key }));

  it("records a passed and a failed drill; the newest is the one shown", async () => {
    expect((await post('{"ok":true,"backup":"database_backup_latest.json.gz.age"}')).status).toBe(201);
    let drill = (await offsiteStatus()).lastDrill!;
    expect(drill.ok).toBe(true);
    expect(drill.detail).toBe("The restore drill passed on database_backup_latest.json.gz.age.");
    expect((await post('{"ok":false,"detail":"the smoke test found no machines"}')).status).toBe(201);
    drill = (await offsiteStatus()).lastDrill!;
    expect(drill.ok).toBe(false);
    expect(drill.detail).toBe("The restore drill failed: the smoke test found no machines");
    // In History as the drill's, reported through the API.
    const recorded = await prisma().backupEvent.findMany({ where: { kind: "drill" }, orderBy: { id: "asc" } });
    expect(recorded.map((e) => [e.source, e.actor, e.result])).toEqual([
      ["api", "restore drill", "ok"],
      ["api", "restore drill", "failed"],
    ]);
    expect(drill.at).toEqual(recorded[1]!.startedAt);
  });

  it("refuses a malformed report and records nothing", async () => {
    for (const body of ["", "not json", "{}", '{"ok":"yes"}', `{"ok":true,"detail":"${"x".repeat(3000)}"}`]) {
      const res = await post(body);
      expect(res.status, body.slice(0, 20)).toBe(400);
    }
    expect((await post('{"ok":true}', "wrong-key")).status).toBe(403);
    expect(await prisma().backupEvent.count({ where: { kind: "drill" } })).toBe(0);
  });
});
