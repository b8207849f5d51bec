// Our migration runner on a real PostgreSQL: it builds exactly the schema Prisma derives from
// prisma/postgres/schema.prisma, records its work as Prisma does (Prisma's own CLI agrees), and
// a migration that fails, or a database it did not make, changes nothing.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";

import { beforeAll, expect, it } from "vitest";

import { withPostgres } from "@/lib/db/postgres/connection";
import {
  migratePostgres,
  pendingPostgresMigrations,
  postgresMigrations,
  postgresSchemaVersion,
  type Migration,
} from "@/lib/db/postgres/migrate";
import { POSTGRES_SCHEMA_PATH } from "@/lib/db/postgres/schema-source";
import { describeOnPostgres, emptyPostgresDatabase, schemaCatalog } from "@/tests/support/postgres";

const run = promisify(execFile);
const PRISMA = path.resolve("node_modules/prisma/build/index.js");

/** Runs Prisma's own CLI against a PostgreSQL database (through the root prisma.config.ts). */
async function prismaCli(url: string, args: string[]): Promise<{ code: number; stdout: string; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [PRISMA, ...args], {
      env: { ...process.env, DATABASE_URL: url },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: failed.code ?? 1,
      stdout: failed.stdout ?? "",
      output: `${failed.stdout ?? ""}${failed.stderr ?? ""}`,
    };
  }
}

function migration(name: string, sql: string): Migration {
  return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
}

async function tables(url: string): Promise<string[]> {
  return withPostgres(url, async (db) => {
    const { rows } = await db.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1",
    );
    return rows.map((r) => r.name);
  });
}

async function history(url: string): Promise<{ migration_name: string; checksum: string; steps: number }[]> {
  return withPostgres(url, async (db) => {
    const { rows } = await db.query(
      `SELECT migration_name, checksum, applied_steps_count AS steps FROM "_prisma_migrations"
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    return rows as { migration_name: string; checksum: string; steps: number }[];
  });
}

/** A database built from Prisma's own SQL for prisma/postgres/schema.prisma (from nothing). */
async function prismasReference(): Promise<string> {
  const reference = await emptyPostgresDatabase();
  const diff = await prismaCli(reference, [
    "migrate",
    "diff",
    "--from-empty",
    "--to-schema-datamodel",
    POSTGRES_SCHEMA_PATH,
    "--script",
  ]);
  if (diff.code !== 0) throw new Error(diff.output);
  await withPostgres(reference, (db) => db.query(diff.stdout));
  return reference;
}

describeOnPostgres("migrating a PostgreSQL database", () => {
  // Prisma's CLI takes seconds to start: its reference database is built while other tests run.
  let reference: Promise<string>;
  beforeAll(() => {
    reference = prismasReference();
    reference.catch(() => {}); // awaited (and reported) by the test that needs it
  });

  it("applies every migration to an empty database, once, recording each as Prisma does", async () => {
    const url = await emptyPostgresDatabase();
    const known = postgresMigrations();
    expect(await pendingPostgresMigrations(url)).toEqual(known.map((m) => m.name));

    const applied = await migratePostgres(url);

    expect(applied.map((m) => m.name)).toEqual(known.map((m) => m.name));
    expect(await history(url)).toEqual(known.map((m) => ({ migration_name: m.name, checksum: m.checksum, steps: 1 })));
    expect(await pendingPostgresMigrations(url)).toEqual([]);
    expect(await migratePostgres(url)).toEqual([]);
    expect(await history(url)).toHaveLength(known.length);
    await withPostgres(url, async (db) => expect(await postgresSchemaVersion(db)).toBe(known.at(-1)!.name));
    expect(await tables(url)).toContain("calendarEditor_queueentry");

    const status = await prismaCli(url, ["migrate", "status"]);
    expect(status.output).toContain("Database schema is up to date!");
    expect(status.code).toBe(0);
  });

  it("builds exactly the schema Prisma derives from prisma/postgres/schema.prisma", async () => {
    const migrated = await emptyPostgresDatabase();
    await migratePostgres(migrated);

    const [mine, prismas] = [await schemaCatalog(migrated), await schemaCatalog(await reference)];
    expect(mine.columns!.length).toBeGreaterThan(200);
    expect(mine).toEqual(prismas);
  });

  it("carries rows made under the first schema forward, as SQLite's migration does", async () => {
    const url = await emptyPostgresDatabase();
    const [first, ...later] = postgresMigrations();
    await migratePostgres(url, [first!]);
    await withPostgres(url, (db) =>
      db.query(`
        INSERT INTO auth_user (id, username, password, date_joined) VALUES (1, 'ada', 'x', '2024-01-01T00:00:00.123456Z');
        INSERT INTO "userRegistration_userprofile" (id, user_id, phone_number, is_approved, created_at)
          VALUES (7, 1, '555', true, '2024-01-02T00:00:00.654321Z');`),
    );

    expect((await migratePostgres(url)).map((m) => m.name)).toEqual(later.map((m) => m.name));

    await withPostgres(url, async (db) => {
      const { rows } = await db.query(
        `SELECT phone_number, is_approved, status, is_lab_manager, created_at::text, updated_at::text
           FROM "userRegistration_userprofile"`,
      );
      expect(rows).toEqual([
        {
          phone_number: "555",
          is_approved: true,
          status: "pending",
          is_lab_manager: false,
          created_at: "2024-01-02 00:00:00.654321+00",
          updated_at: "2024-01-02 00:00:00.654321+00",
        },
      ]);
    });
  });

  it("rolls back a migration that fails, records nothing of it, and keeps the ones before", async () => {
    const url = await emptyPostgresDatabase();
    const good = migration("20990101000000_good", 'CREATE TABLE "kept" (x int);');
    const bad = migration("20990101000001_bad", 'CREATE TABLE "half" (x int);\nSELECT 1 / 0;');
    const after = migration("20990101000002_after", 'CREATE TABLE "never" (x int);');

    await expect(migratePostgres(url, [good, bad, after])).rejects.toThrow(
      /Migration 20990101000001_bad failed and was rolled back \(the database is unchanged\): division by zero/,
    );

    expect(await tables(url)).toEqual(["_prisma_migrations", "kept"]);
    expect((await history(url)).map((m) => m.migration_name)).toEqual([good.name]);
    await withPostgres(url, async (db) =>
      expect((await db.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`)).rows).toEqual([{ n: 1 }]),
    );
  });

  it("refuses a database that holds tables but no migration history, changing nothing", async () => {
    const url = await emptyPostgresDatabase();
    await withPostgres(url, (db) => db.query('CREATE TABLE "someone_elses" (x int)'));

    await expect(migratePostgres(url)).rejects.toThrow(
      /already holds tables \(someone_elses\) but no migration history/,
    );
    expect(await tables(url)).toEqual(["someone_elses"]);
  });

  it("refuses to go on when an applied migration's file was edited since", async () => {
    const url = await emptyPostgresDatabase();
    await migratePostgres(url, [migration("20990101000000_a", 'CREATE TABLE "a" (x int);')]);
    const edited = migration("20990101000000_a", 'CREATE TABLE "a" (x bigint);');
    const next = migration("20990101000001_b", 'CREATE TABLE "b" (x int);');

    await expect(migratePostgres(url, [edited, next])).rejects.toThrow(
      /20990101000000_a was changed after it was applied/,
    );
    expect(await tables(url)).toEqual(["_prisma_migrations", "a"]);
  });

  it("refuses to go on after a migration Prisma recorded as failed", async () => {
    const url = await emptyPostgresDatabase();
    const first = migration("20990101000000_a", 'CREATE TABLE "a" (x int);');
    await migratePostgres(url, [first]);
    await withPostgres(url, (db) =>
      db.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs) VALUES ('f', 'c', '20990101000001_b', 'boom')`,
      ),
    );

    const next = migration("20990101000002_c", 'CREATE TABLE "c" (x int);');
    await expect(migratePostgres(url, [first, next])).rejects.toThrow(/20990101000001_b failed earlier/);
    expect(await tables(url)).toEqual(["_prisma_migrations", "a"]);
  });

  it("applies each migration once when two servers start migrating the same database at once", async () => {
    const url = await emptyPostgresDatabase();
    const known = postgresMigrations();

    const [one, two] = await Promise.all([migratePostgres(url), migratePostgres(url)]);

    expect([...one, ...two].map((m) => m.name).sort()).toEqual(known.map((m) => m.name));
    expect(await history(url)).toHaveLength(known.length);
  });
});
