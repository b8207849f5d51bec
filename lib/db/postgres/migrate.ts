// Our own `migrate deploy` for PostgreSQL. Prisma's fails through the driver adapter
// ("Column type 'name' could not be deserialized", prisma/orm#27403), so this applies
// prisma/postgres/migrations itself and records them in `_prisma_migrations` exactly as
// Prisma does (same table, same checksums), so `prisma migrate status` agrees with it.
//
// Each migration runs in one transaction with its history row: PostgreSQL's DDL is
// transactional, so a migration that fails leaves the database as it was and is not recorded
// (a migration may therefore not use statements PostgreSQL refuses inside a transaction,
// such as CREATE INDEX CONCURRENTLY).
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { describePostgresUrl, withPostgres, type Postgres } from "@/lib/db/postgres/connection";
import { projectRoot } from "@/lib/db/project-root";

export const POSTGRES_MIGRATIONS_DIR = "prisma/postgres/migrations";

/** Prisma's advisory lock key for migrations: our runner and Prisma's CLI wait for each other. */
const MIGRATION_LOCK_KEY = 72707369;

// Prisma's own definition of its history table for PostgreSQL.
const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  /** SHA-256 of the file's bytes, in hex: what Prisma stores in `_prisma_migrations.checksum`. */
  checksum: string;
}

export interface AppliedMigration {
  name: string;
  milliseconds: number;
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** PostgreSQL's migrations this build of the app knows, oldest first. */
export function postgresMigrations(root = projectRoot()): Migration[] {
  const dir = path.join(root, POSTGRES_MIGRATIONS_DIR);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = fs.readFileSync(path.join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

/** Names of the known migrations not yet applied to the database (all of them for an empty one). */
export async function pendingPostgresMigrations(url: string, known = postgresMigrations()): Promise<string[]> {
  return withPostgres(url, async (db) => {
    const applied = await appliedHistory(db);
    return pendingOf(known, applied, url).map((m) => m.name);
  });
}

/**
 * Applies the pending migrations in order, each in a transaction of its own, and returns what
 * it applied. Refuses (changing nothing) a database with tables but no migration history, one
 * with a migration Prisma recorded as failed, and one whose applied migration differs from the
 * file of the same name.
 */
export async function migratePostgres(url: string, known = postgresMigrations()): Promise<AppliedMigration[]> {
  return withPostgres(url, async (db) => {
    await db.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      if (!(await hasHistoryTable(db))) {
        await refuseUnmanagedSchema(db, url);
        await db.query(HISTORY_TABLE);
      }
      const pending = pendingOf(known, await appliedHistory(db), url);
      const applied: AppliedMigration[] = [];
      for (const migration of pending) applied.push(await applyMigration(db, migration));
      return applied;
    } finally {
      await db.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  });
}

/** The latest migration applied to the database (the backup's `schema_version`), or null. */
export async function postgresSchemaVersion(db: Postgres): Promise<string | null> {
  const rows = (await appliedHistory(db)).filter(isApplied);
  return (
    rows
      .map((row) => row.migration_name)
      .sort()
      .at(-1) ?? null
  );
}

async function applyMigration(db: Postgres, migration: Migration): Promise<AppliedMigration> {
  const started = performance.now();
  await db.query("BEGIN");
  try {
    const id = randomUUID();
    await db.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, migration.checksum, migration.name],
    );
    // No parameters: the simple query protocol, which runs a file of several statements.
    await db.query(migration.sql);
    await db.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await db.query("COMMIT");
  } catch (error) {
    await db.query("ROLLBACK");
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${migration.name} failed and was rolled back (the database is unchanged): ${reason}`);
  }
  return { name: migration.name, milliseconds: performance.now() - started };
}

function pendingOf(known: Migration[], history: HistoryRow[], url: string): Migration[] {
  const failed = history.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new Error(
      `Migration ${failed.migration_name} failed earlier in ${describePostgresUrl(url)} and is recorded as unfinished. ` +
        "Repair the database, then mark it with `prisma migrate resolve` before migrating again.",
    );
  }
  const applied = new Map(history.filter(isApplied).map((row) => [row.migration_name, row.checksum]));
  for (const migration of known) {
    const checksum = applied.get(migration.name);
    if (checksum !== undefined && checksum !== migration.checksum) {
      throw new Error(
        `Migration ${migration.name} was changed after it was applied to ${describePostgresUrl(url)} ` +
          "(its checksum differs): a committed migration must never be edited; add a new one.",
      );
    }
  }
  return known.filter((migration) => !applied.has(migration.name));
}

function isApplied(row: HistoryRow): boolean {
  return row.finished_at !== null && row.rolled_back_at === null;
}

async function hasHistoryTable(db: Postgres): Promise<boolean> {
  const { rows } = await db.query<{ table: string | null }>(
    `SELECT to_regclass('"_prisma_migrations"')::text AS table`,
  );
  return rows[0]?.table != null;
}

async function appliedHistory(db: Postgres): Promise<HistoryRow[]> {
  if (!(await hasHistoryTable(db))) return [];
  const { rows } = await db.query<HistoryRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`,
  );
  return rows;
}

/** Like Prisma (P3005): a schema that already holds tables was not made by these migrations. */
async function refuseUnmanagedSchema(db: Postgres, url: string): Promise<void> {
  const { rows } = await db.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename LIMIT 5",
  );
  if (rows.length > 0) {
    throw new Error(
      `${describePostgresUrl(url)} already holds tables (${rows.map((r) => r.name).join(", ")}) but no migration ` +
        "history, so it was not made by this app. Migrate an empty database instead.",
    );
  }
}
