// What the status route tells an uptime monitor (lib/offsite/http.ts statusReport), field by
// field: a database never backed up off-site says so with nulls, not a zero age that reads as
// "just now"; times are ISO, the age in hours to a tenth, the last drill as reported.
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { prisma } from "@/lib/db/prisma";
import { statusReport } from "@/lib/offsite/http";
import { recordDrill } from "@/lib/offsite/watch";
import { seededDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";

const HOUR_MS = 3_600_000;

beforeEach(() => {
  seededDatabase(5);
});
afterEach(() => setEnv({ BACKUP_MAX_AGE_HOURS: undefined }));

async function storedAt(startedAt: Date) {
  await prisma().backupEvent.create({ data: { kind: "push", source: "api", actor: "test", result: "ok", startedAt } });
}

describe("the status report", () => {
  it("with no off-site backup ever: not ok, and no time, age or drill, as nulls", async () => {
    expect(await statusReport()).toEqual({
      ok: false,
      last_backup_at: null,
      age_hours: null,
      max_age_hours: 192,
      last_restore_drill_at: null,
      last_restore_drill_ok: null,
      replica: null,
    });
  });

  it("gives the last off-site backup's time, its age in hours to a tenth, and the last drill's result", async () => {
    const stored = new Date(Date.now() - 2.26 * HOUR_MS);
    await storedAt(stored);
    const drilled = new Date(Date.now() - HOUR_MS);
    await recordDrill({ ok: false, detail: "the drill could not restore" }, drilled);
    setEnv({ BACKUP_MAX_AGE_HOURS: "3" });
    expect(await statusReport()).toEqual({
      ok: true,
      last_backup_at: stored.toISOString(),
      age_hours: 2.3,
      max_age_hours: 3,
      last_restore_drill_at: drilled.toISOString(),
      last_restore_drill_ok: false,
      replica: null,
    });
    setEnv({ BACKUP_MAX_AGE_HOURS: "2" });
    expect(await statusReport()).toMatchObject({ ok: false, age_hours: 2.3 });
  });
});
