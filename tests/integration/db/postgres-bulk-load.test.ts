// COPY FROM STDIN through the write session: values arrive exactly as given, in any table
// order, and a row the server refuses fails the load and leaves the database as it was. Tables
// emptied first are loaded with their foreign keys set aside: every key is back, checked,
// when the load has finished.
import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { BACKUP_TABLES, modelByName } from "@/lib/backup/format/schema-model";
import { bulkTables } from "@/lib/backup/restore/session-transaction";
import { postgresWriteEngine } from "@/lib/db/engine/postgres/write";
import type { WriteSession, WriteValue } from "@/lib/db/engine/write-types";
import { withPostgres } from "@/lib/db/postgres/connection";
import { copyField, copyLine } from "@/lib/db/postgres/copy-text";
import { describeOnPostgres, freshPostgresDatabase, postgresServerUrl, schemaCatalog } from "@/tests/support/postgres";

const TABLES = ["auth_user", "calendarEditor_archivedmeasurement", "userRegistration_userprofile"];

const user = (id: number, username: string, extra: Partial<Record<string, WriteValue>> = {}) => {
  const row: Record<string, WriteValue> = {
    id,
    password: "pbkdf2_sha256$1$salt$hash",
    last_login: null,
    is_superuser: 0,
    username,
    first_name: "",
    last_name: "",
    email: "",
    is_staff: 0,
    is_active: 1,
    date_joined: "2024-01-02T03:04:05.678901+00:00",
    ...extra,
  };
  const columns = bulkTables().find((t) => t.name === "User")!.columns;
  return columns.map((c) => row[c] ?? null);
};

/** A row of `model` with plain values where none are given: false, "", a fixed time, NULL where allowed. */
function rowOf(model: string, given: Record<string, WriteValue>): WriteValue[] {
  return modelByName(model).columns.map((c) => {
    if (c.column in given) return given[c.column]!;
    if (c.nullable) return null;
    return { Boolean: 0, String: "", Int: 0, Float: 0, DateTime: "2024-01-01T00:00:00.000+00:00", Json: null }[c.type];
  });
}

async function inSession<T>(url: string, work: (session: WriteSession) => Promise<T>): Promise<T> {
  const session = await postgresWriteEngine(url).beginExclusiveWrite(TABLES);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

describe("COPY text format", () => {
  it("escapes backslashes, tabs, newlines and carriage returns, and writes NULL as \\N", () => {
    expect(copyField(null)).toBe("\\N");
    expect(copyField("\\N")).toBe("\\\\N");
    expect(copyField("a\tb\nc\rd\\e")).toBe("a\\tb\\nc\\rd\\\\e");
    expect(copyField(true)).toBe("t");
    expect(copyField(0.1)).toBe("0.1");
    expect(copyLine([1, null, "x"])).toBe("1\t\\N\tx\n");
  });
});

describeOnPostgres("bulk insert into PostgreSQL with COPY", () => {
  it("stores every value exactly: text with escapes, NULL, booleans, microseconds, JSON as written", async () => {
    const url = await freshPostgresDatabase({ activate: false });
    const awkward = "back\\slash\ttab\nnew line\r\nCRLF \\N not null «ünïcode» 🧪";
    const json = '{"z": 1, "a": [1, 2.50, "x\\ty"],  "nested": {"b": null}}';
    await inSession(url, async (session) => {
      const load = session.bulkInsert(bulkTables());
      load.insert(
        "User",
        1,
        user(1, "ada", { first_name: awkward, is_staff: 1, last_login: "2025-06-07T08:09:10.000001+00:00" }),
        [],
      );
      load.insert("User", 2, user(2, "\\N"), []);
      load.tableEnd("User");
      const measurement = bulkTables().find((t) => t.name === "ArchivedMeasurement")!;
      const values = measurement.columns.map((c) =>
        c === "id"
          ? 7
          : c === "user_id"
            ? 1
            : c === "preset_snapshot"
              ? json
              : c === "title"
                ? "t"
                : c === "machine_name" || c === "notes" || c === "status"
                  ? ""
                  : c.endsWith("_at") || c === "measurement_date"
                    ? "2024-02-29T23:59:59.999999+00:00"
                    : null,
      );
      load.insert("ArchivedMeasurement", 7, values, []);
      load.tableEnd("ArchivedMeasurement");
      await load.finish();
      await session.commit();
    });
    await inSession(url, async (session) => {
      const ada = await session.get<Record<string, unknown>>("SELECT * FROM auth_user WHERE id = ?", [1]);
      expect(ada).toMatchObject({
        first_name: awkward,
        is_staff: 1,
        is_active: 1,
        last_login: "2025-06-07T08:09:10.000001+00:00",
      });
      expect((await session.get<{ username: string }>("SELECT username FROM auth_user WHERE id = 2"))?.username).toBe(
        "\\N",
      );
      const m = await session.get<Record<string, unknown>>('SELECT * FROM "calendarEditor_archivedmeasurement"');
      expect(m).toMatchObject({
        preset_snapshot: json,
        archived_at: "2024-02-29T23:59:59.999999+00:00",
        duration_hours: null,
      });
    });
  });

  it("sends rows that fill many writes, and one longer than a write, byte for byte", async () => {
    const url = await freshPostgresDatabase({ activate: false });
    // Multi-byte text (2, 3 and 4 bytes in UTF-8) on every row, so rows end at any byte of a
    // write; one name alone is longer than a write (256 KiB).
    const name = (id: number) => (id === 1500 ? "é測🧪".repeat(40_000) : `${id} é測🧪 ${"x".repeat(id % 97)}`);
    const ids = Array.from({ length: 3000 }, (_, i) => i + 1);
    await inSession(url, async (session) => {
      const load = session.bulkInsert(bulkTables());
      for (const id of ids) load.insert("User", id, user(id, `u${id}`, { first_name: name(id) }), []);
      load.tableEnd("User");
      await load.finish();
      await session.commit();
    });
    const names = await withPostgres(
      url,
      async (db) =>
        (await db.query<{ id: number; first_name: string }>("SELECT id, first_name FROM auth_user ORDER BY id")).rows,
    );
    expect(names.length).toBe(ids.length);
    const wrong = names.filter((row) => row.first_name !== name(row.id)).map((row) => row.id);
    expect(wrong).toEqual([]);
  });

  it("loads a file's tables in any order: a child listed before its parent waits for it", async () => {
    const url = await freshPostgresDatabase({ activate: false });
    const profileRow = (id: number, userId: number) => rowOf("UserProfile", { id, user_id: userId });
    await inSession(url, async (session) => {
      const load = session.bulkInsert(bulkTables());
      load.insert("UserProfile", 1, profileRow(1, 5), []);
      load.tableEnd("UserProfile");
      load.insert("User", 5, user(5, "grace"), []);
      load.tableEnd("User");
      await load.finish();
      expect(await session.counts(["auth_user", "userRegistration_userprofile"])).toEqual({
        auth_user: 1,
        userRegistration_userprofile: 1,
      });
    });
  });

  it("fails on a row the server refuses, and the database stays exactly as it was", async () => {
    const url = await freshPostgresDatabase({ activate: false });
    await inSession(url, async (session) => {
      const load = session.bulkInsert(bulkTables());
      load.insert("User", 1, user(1, "kept"), []);
      await load.finish();
      await session.commit();
    });
    const failure = await inSession(url, async (session) => {
      await session.emptyTables(BACKUP_TABLES);
      const load = session.bulkInsert(bulkTables());
      for (let id = 10; id < 2000; id++) load.insert("User", id, user(id, `u${id}`), []);
      load.insert("User", 2000, user(2000, "u10"), []); // the username is unique
      for (let id = 2001; id < 3000; id++) load.insert("User", id, user(id, `u${id}`), []);
      return load.finish().then(
        () => null,
        (error: Error) => error.message,
      );
    });
    expect(failure).toMatch(/duplicate key value violates unique constraint "auth_user_username_key"/);
    const rows = await withPostgres(url, async (db) => (await db.query("SELECT id, username FROM auth_user")).rows);
    expect(rows).toEqual([{ id: 1, username: "kept" }]);
  });

  it("finds references the server did not check (a key added NOT VALID), and none where it checked them", async () => {
    const url = await freshPostgresDatabase({ activate: false });
    await inSession(url, async (session) => {
      const load = session.bulkInsert(bulkTables());
      load.insert("User", 1, user(1, "ada"), []);
      load.tableEnd("User");
      load.insert("UserProfile", 1, rowOf("UserProfile", { id: 1, user_id: 1 }), []);
      await load.finish();
      expect(await session.brokenReferences()).toBeNull();
      expect(await session.integrityProblem()).toBeNull();
      await session.commit();
    });
    await withPostgres(url, async (db) => {
      await db.query(
        'ALTER TABLE "userRegistration_userprofile" DROP CONSTRAINT "userRegistration_userprofile_user_id_fkey"',
      );
      await db.query('UPDATE "userRegistration_userprofile" SET user_id = 42');
      await db.query(
        'ALTER TABLE "userRegistration_userprofile" ADD CONSTRAINT "userRegistration_userprofile_user_id_fkey" FOREIGN KEY (user_id) REFERENCES auth_user(id) NOT VALID',
      );
    });
    await inSession(url, async (session) => {
      expect(await session.brokenReferences()).toEqual({
        count: 1,
        first: { table: "userRegistration_userprofile", rowid: 1, parent: "auth_user" },
      });
      expect(await session.integrityProblem()).toMatch(/not validated: userRegistration_userprofile_user_id_fkey/);
    });
  });

  it("loads emptied tables with their foreign keys set aside, and every key is back, checked, when it finishes", async () => {
    const url = await freshPostgresDatabase({ activate: false });
    const schema = await schemaCatalog(url);
    const foreignKeys = (session: WriteSession) =>
      session.all<{ oid: number; name: string; definition: string; validated: number }>(
        `SELECT oid::int AS oid, conname AS name, pg_get_constraintdef(oid) AS definition, convalidated AS validated
           FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace ORDER BY conname`,
      );
    await inSession(url, async (session) => {
      const before = await foreignKeys(session);
      expect(before.length).toBeGreaterThan(10);
      await session.emptyTables(BACKUP_TABLES);
      const load = session.bulkInsert(bulkTables());
      load.insert("User", 1, user(1, "ada"), []);
      load.tableEnd("User");
      load.insert("UserProfile", 1, rowOf("UserProfile", { id: 1, user_id: 1, approved_by_id: 1 }), []);
      load.tableEnd("UserProfile");
      await load.finish();
      const after = await foreignKeys(session);
      const withoutOid = (keys: typeof before) => keys.map(({ oid: _, ...key }) => key);
      // The same keys, each made anew (set aside for the load), each checked.
      expect(withoutOid(after)).toEqual(withoutOid(before));
      expect(after.filter((key) => before.some((old) => old.oid === key.oid))).toEqual([]);
      expect(after.every((key) => key.validated)).toBe(true);
      // In force again: a row written after the load is checked on its own.
      await expect(session.run('UPDATE "userRegistration_userprofile" SET user_id = 42 WHERE id = 1')).rejects.toThrow(
        /violates foreign key constraint "userRegistration_userprofile_user_id_fkey"/,
      );
    });
    expect(await schemaCatalog(url)).toEqual(schema);
  });

  it("fails the load when a key put back finds a broken reference, and PostgreSQL keeps its rows and keys", async () => {
    const url = await freshPostgresDatabase({ activate: false });
    await inSession(url, async (session) => {
      const load = session.bulkInsert(bulkTables());
      load.insert("User", 1, user(1, "kept"), []);
      await load.finish();
      await session.commit();
    });
    const schema = await schemaCatalog(url);
    const failure = await inSession(url, async (session) => {
      await session.emptyTables(BACKUP_TABLES);
      const load = session.bulkInsert(bulkTables());
      load.insert("User", 2, user(2, "new"), []);
      load.tableEnd("User");
      load.insert("UserProfile", 1, rowOf("UserProfile", { id: 1, user_id: 99 }), []);
      load.tableEnd("UserProfile");
      return load.finish().then(
        () => null,
        (error: Error) => error.message,
      );
    });
    expect(failure).toMatch(/violates foreign key constraint "userRegistration_userprofile_user_id_fkey"/);
    const rows = await withPostgres(url, async (db) => (await db.query("SELECT id, username FROM auth_user")).rows);
    expect(rows).toEqual([{ id: 1, username: "kept" }]);
    expect(await schemaCatalog(url)).toEqual(schema);
  });

  it("keeps the foreign keys in force for a role that may not drop them (not the tables' owner)", async () => {
    const url = await freshPostgresDatabase({ activate: false });
    const role = `labq_not_owner_${randomBytes(4).toString("hex")}`;
    const password = randomBytes(12).toString("hex");
    await withPostgres(url, async (db) => {
      await db.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
      await db.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}`);
      await db.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    });
    const asRole = new URL(url);
    asRole.username = role;
    asRole.password = password;
    const schema = await schemaCatalog(url);
    try {
      const failure = await inSession(asRole.toString(), async (session) => {
        await session.emptyTables(BACKUP_TABLES);
        const load = session.bulkInsert(bulkTables());
        load.insert("User", 1, user(1, "ada"), []);
        load.tableEnd("User");
        load.insert("UserProfile", 1, rowOf("UserProfile", { id: 1, user_id: 1 }), []);
        load.insert("UserProfile", 2, rowOf("UserProfile", { id: 2, user_id: 99 }), []);
        load.tableEnd("UserProfile");
        return load.finish().then(
          () => null,
          (error: Error) => error.message,
        );
      });
      // Checked row by row as the rows arrived: the COPY itself was refused.
      expect(failure).toMatch(/violates foreign key constraint "userRegistration_userprofile_user_id_fkey"/);
      await inSession(asRole.toString(), async (session) => {
        await session.emptyTables(BACKUP_TABLES);
        const load = session.bulkInsert(bulkTables());
        load.insert("User", 1, user(1, "ada"), []);
        await load.finish();
        await session.commit();
      });
      expect(await schemaCatalog(url)).toEqual(schema);
    } finally {
      await withPostgres(postgresServerUrl(), async (db) => {
        await withPostgres(url, (owner) => owner.query(`DROP OWNED BY ${role}`));
        await db.query(`DROP ROLE ${role}`);
      });
    }
  });
});
