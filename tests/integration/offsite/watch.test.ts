// Is the data safe off-site? The status behind the banner and the status route, computed from
// the history of API exports and drill reports.
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { GET as databaseRoute } from "@/app/schedule/api/backup/database/route";
import { POST as drillRoute } from "@/app/schedule/api/backup/drill/route";
import { GET as statusRoute } from "@/app/schedule/api/backup/status/route";
import { prisma } from "@/lib/db/prisma";
import { SOCKET_ADDRESS_HEADER } from "@/lib/http/rate-limit";
import { offsiteStatus } from "@/lib/offsite/watch";
import { seededDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";

const KEY = "watch-test-key-31c9d0";
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

beforeEach(() => {
  seededDatabase(10);
  setEnv({ BACKUP_API_KEY: KEY });
});
afterEach(() => {
  setEnv({ BACKUP_API_KEY: undefined });
  setEnv({ BACKUP_MAX_AGE_HOURS: undefined });
});

describe("off-site status", () => {
  it("is 'never' until an export is fetched with the key; downloads in the browser do not count", async () => {
    await exportedHoursAgo(1, "ui");
    await exportedHoursAgo(1, "cli");
    await exportedHoursAgo(1, "api", "failed");
    expect((await offsiteStatus()).level).toBe("never");
    await exportedHoursAgo(2);
    const status = await offsiteStatus();
    expect(status.level).toBe("ok");
    expect(status.ageHours).toBeCloseTo(2, 1);
  });

  it("turns stale past BACKUP_MAX_AGE_HOURS (default 192), judged by the newest off-site backup", async () => {
    await exportedHoursAgo(300);
    await exportedHoursAgo(193);
    expect(await offsiteStatus()).toMatchObject({ level: "stale", maxAgeHours: 192 });
    setEnv({ BACKUP_MAX_AGE_HOURS: "200" });
    expect((await offsiteStatus()).level).toBe("ok");
  });

  it("the status route answers 200 while fresh and 503 when stale, with the documented fields", async () => {
    await exportedHoursAgo(10);
    const fresh = await statusRoute(request("status", { key: KEY }));
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
    const stale = await statusRoute(request("status", { key: KEY }));
    expect(stale.status).toBe(503);
    expect(await stale.json()).toMatchObject({ ok: false, age_hours: 10, max_age_hours: 5 });
  });

  it("shares the export's failure limit: guesses at the status route block the export too", async () => {
    const attacker = "203.0.113.77";
    for (let i = 0; i < 5; i++) {
      expect((await statusRoute(request("status", { key: `guess-${i}`, client: attacker }))).status).toBe(403);
    }
    const blocked = await databaseRoute(request("database", { key: KEY, client: attacker }));
    expect(blocked.status).toBe(429);
  });
});

describe("drill reports", () => {
  const post = (body: string, key = KEY) => drillRoute(request("drill", { method: "POST", body, key }));

  it("records a passed and a failed drill; the newest is the one shown", async () => {
    expect((await post('{"ok":true,"backup":"database_backup_latest.json.gz.age"}')).status).toBe(201);
    let drill = (await offsiteStatus()).lastDrill!;
    expect(drill.ok).toBe(true);
    expect(drill.detail).toBe("The restore drill passed on database_backup_latest.json.gz.age.");
    expect((await post('{"ok":false,"detail":"the smoke test found no machines"}')).status).toBe(201);
    drill = (await offsiteStatus()).lastDrill!;
    expect(drill.ok).toBe(false);
    expect(drill.detail).toBe("The restore drill failed: the smoke test found no machines");
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
