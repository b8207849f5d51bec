// The read side of the engine seam answers the same on a SQLite file and on PostgreSQL.
import { describe, expect, it } from "vitest";

import { recordTextPlan } from "@/lib/backup/export/record-text";
import { modelByName } from "@/lib/backup/format/schema-model";
import { readEngine, type RecordTextPlan } from "@/lib/db/engine";
import { withPostgres } from "@/lib/db/postgres/connection";
import { seededDatabase } from "@/tests/support/db";
import { describeOnPostgres, freshPostgresDatabase } from "@/tests/support/postgres";
import { copySqliteToPostgres } from "@/tests/support/postgres-data";

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

describeOnPostgres("a read snapshot on PostgreSQL", () => {
  const users = recordTextPlan(modelByName("User"));
  const text = async (pages: AsyncGenerator<{ document: Buffer }>) => {
    let all = "";
    for await (const page of pages) all += page.document.toString("utf8");
    return all;
  };

  it("sees the database as it was when it began, whatever is committed meanwhile", async () => {
    const url = await freshPostgresDatabase({ activate: false });
    await copySqliteToPostgres(seededDatabase(20, { activate: false }), url);
    const snapshot = await readEngine(url).openReadSnapshot([users], { pageSize: 3 });
    try {
      const before = await snapshot.counts(["auth_user"]);
      await withPostgres(url, (db) =>
        db.query(`INSERT INTO auth_user (username, password, date_joined) VALUES ('late', 'x', now())`),
      );
      expect(await snapshot.counts(["auth_user"])).toEqual(before);
      const records = (await text(snapshot.recordTextPages(0))).split(",\n").slice(1);
      expect(records).toHaveLength(before.auth_user!);
      expect(records.join()).not.toContain('"late"');
    } finally {
      await snapshot.close();
    }
    expect((await readEngine(url).counts(["auth_user"])).auth_user).toBeGreaterThan(0);
  });

  it("fails a table it cannot read alone, and reads the next one on the same snapshot", async () => {
    const url = await freshPostgresDatabase({ activate: false });
    await copySqliteToPostgres(seededDatabase(20, { activate: false }), url);
    const missing: RecordTextPlan = { ...users, table: "no_such_table" };
    const snapshot = await readEngine(url).openReadSnapshot([missing, users], { pageSize: 7 });
    try {
      await expect(text(snapshot.recordTextPages(0))).rejects.toThrow(/no_such_table/);
      expect(await text(snapshot.recordTextPages(1))).toContain('{"model":"auth.user","pk":1,');
    } finally {
      await snapshot.close();
    }
  });

  it("fails a table holding a value no backup can carry (an infinite time) after reading it through, and goes on", async () => {
    const url = await freshPostgresDatabase({ activate: false });
    await copySqliteToPostgres(seededDatabase(20, { activate: false }), url);
    await withPostgres(url, (db) => db.query("UPDATE auth_user SET last_login = 'infinity' WHERE id = 2"));
    const machines = recordTextPlan(modelByName("Machine"));
    const snapshot = await readEngine(url).openReadSnapshot([users, machines], { pageSize: 5 });
    try {
      await expect(text(snapshot.recordTextPages(0))).rejects.toThrow(
        /Unreadable datetime in the database: "infinity"/,
      );
      expect(await text(snapshot.recordTextPages(1))).toContain('{"model":"calendarEditor.machine","pk":1,');
    } finally {
      await snapshot.close();
    }
  });

  it("lets a reader stop part-way through a table, and closes without waiting for the rest", async () => {
    const url = await freshPostgresDatabase({ activate: false });
    await copySqliteToPostgres(seededDatabase(300, { activate: false }), url);
    const notifications = recordTextPlan(modelByName("Notification"));
    const snapshot = await readEngine(url).openReadSnapshot([notifications], { pageSize: 10 });
    const pages = snapshot.recordTextPages(0);
    const first = await pages.next();
    expect(first.value).toMatchObject({ count: 10, last: 10 });
    await pages.return(undefined);
    await snapshot.close();
    // The server ends the session (it may take it a moment): nothing of it stays open.
    const others = () =>
      withPostgres(url, async (db) => {
        const { rows } = await db.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        );
        return rows[0].n as number;
      });
    await expect.poll(others).toBe(0);
  });
});
