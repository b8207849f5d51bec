// The read side of the engine seam answers the same on a SQLite file and on PostgreSQL.
import { describe, expect, it } from "vitest";

import { readEngine } from "@/lib/db/engine";
import { seededDatabase } from "@/tests/support/db";
import { describeOnPostgres, freshPostgresDatabase } from "@/tests/support/postgres";

const TABLES = ["auth_user", "calendarEditor_machine"];

describe("the read engine on a SQLite file", () => {
  it("counts rows per table and names the applied migration", async () => {
    const file = seededDatabase(20, { activate: false });
    const engine = readEngine(file);
    expect(engine.kind).toBe("sqlite");
    const counts = await engine.counts(TABLES);
    expect(counts.auth_user).toBeGreaterThan(0);
    expect(await engine.schemaVersion()).toMatch(/^\d{14}_/);
    const { byTable, total } = await engine.tableBytes(TABLES);
    expect(byTable.auth_user).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(byTable.auth_user!);
    expect((await engine.size()).bytes).toBeGreaterThan(0);
  });
});

describeOnPostgres("the read engine on PostgreSQL", () => {
  it("counts rows per table and names the applied migration", async () => {
    const url = await freshPostgresDatabase({ activate: false });
    const engine = readEngine(url);
    expect(engine.kind).toBe("postgresql");
    expect(await engine.counts(TABLES)).toEqual({ auth_user: 0, calendarEditor_machine: 0 });
    expect(await engine.schemaVersion()).toMatch(/^\d{14}_/);
    const size = await engine.size();
    expect(size.bytes).toBeGreaterThan(0);
    const { byTable, total } = await engine.tableBytes(TABLES);
    expect(byTable.auth_user).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(byTable.auth_user!);
  });
});
