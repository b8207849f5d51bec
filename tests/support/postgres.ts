// A real PostgreSQL server for the tests that need one. TEST_POSTGRES_URL names it (an account
// that may create databases); `scripts/pg-test-cluster.sh start` starts a private one and prints
// its URL, and .ci/run does so for CI. Each test file makes databases of its own and drops them
// afterwards.
//
// Without TEST_POSTGRES_URL those tests are skipped, saying why, on a developer's machine; in
// CI (CI=true) a missing server fails the run, so the PostgreSQL tests can never silently not run.
import { randomBytes } from "node:crypto";

import { afterAll, describe } from "vitest";

import { withPostgres } from "@/lib/db/postgres/connection";
import { migratePostgres } from "@/lib/db/postgres/migrate";
import { setEnv } from "@/tests/support/env";

const serverUrl = process.env.TEST_POSTGRES_URL?.trim() || undefined;
const inCi = /^(1|true)$/i.test(process.env.CI ?? "");

if (!serverUrl && inCi) {
  throw new Error(
    "TEST_POSTGRES_URL is not set, and CI must run the PostgreSQL tests. .ci/run starts a private cluster " +
      "(scripts/pg-test-cluster.sh start) and sets it.",
  );
}

const SKIP_REASON = "skipped: no PostgreSQL; run TEST_POSTGRES_URL=$(scripts/pg-test-cluster.sh start) npx vitest …";

/** `describe` for tests on a real PostgreSQL: skipped, with the reason in its name, when none is configured. */
export function describeOnPostgres(name: string, tests: () => void): void {
  if (serverUrl) {
    describe(name, tests);
    return;
  }
  console.warn(`"${name}" ${SKIP_REASON}`);
  describe.skip(`${name} (${SKIP_REASON})`, tests);
}

/** The configured server's URL; only call it inside `describeOnPostgres`. */
export function postgresServerUrl(): string {
  if (!serverUrl) throw new Error("TEST_POSTGRES_URL is not set.");
  return serverUrl;
}

const created: string[] = [];
afterAll(async () => {
  if (!serverUrl || created.length === 0) return;
  await withPostgres(serverUrl, async (db) => {
    for (const name of created.splice(0)) await db.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
});

/** The URL of another database on the same server. */
export function databaseUrlOn(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A new, empty database of the test file's own (dropped after its tests); returns its URL. */
export async function emptyPostgresDatabase(): Promise<string> {
  const server = postgresServerUrl();
  const name = `labq_test_${randomBytes(6).toString("hex")}`;
  await withPostgres(server, (db) => db.query(`CREATE DATABASE "${name}"`));
  created.push(name);
  return databaseUrlOn(server, name);
}

/** A new database with every migration applied; also made the app's DATABASE_URL unless `activate` is false. */
export async function freshPostgresDatabase({ activate = true } = {}): Promise<string> {
  const url = await emptyPostgresDatabase();
  await migratePostgres(url);
  if (activate) setEnv({ DATABASE_URL: url });
  return url;
}

/**
 * What a database's schema is, in an order that does not depend on how it was built: columns
 * (type, nullability, default), indexes, constraints and sequences of every table but Prisma's
 * migration history. (Columns a migration adds come last in the table, so their positions are
 * left out.)
 */
export async function schemaCatalog(url: string): Promise<Record<string, unknown[]>> {
  return withPostgres(url, async (db) => {
    const query = async (sql: string) => (await db.query({ text: sql, rowMode: "array" })).rows;
    return {
      columns: await query(`
        SELECT table_name, column_name, data_type, udt_name, character_maximum_length, numeric_precision,
               datetime_precision, is_nullable, column_default
          FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'
         ORDER BY 1, 2`),
      indexes: await query(`
        SELECT tablename, indexname, indexdef FROM pg_indexes
         WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'
         ORDER BY 1, 2`),
      constraints: await query(`
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
         WHERE connamespace = current_schema()::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'
         ORDER BY 1, 2`),
      sequences: await query(`
        SELECT sequence_name, data_type FROM information_schema.sequences
         WHERE sequence_schema = current_schema() ORDER BY 1`),
    };
  });
}
