// Schema migrations are Prisma's (`prisma migrate deploy`); this runs them for a given
// file and reads back which one is applied, the backup's `schema_version`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { childEnvironment } from "@/lib/config";
import { projectRoot } from "@/lib/db/project-root";
import { openSqlite, type Sqlite } from "@/lib/db/sqlite";

const require = createRequire(import.meta.url);

/** Known migrations not yet applied to the file (all of them for a new file). */
export function pendingMigrations(file: string): string[] {
  const known = knownMigrations();
  if (!fs.existsSync(file)) return known;
  const db = openSqlite(file, { readonly: true });
  try {
    const applied = new Set(appliedMigrations(db));
    return known.filter((name) => !applied.has(name));
  } finally {
    db.close();
  }
}

/**
 * Applies pending migrations. An up-to-date file is left alone: `prisma migrate deploy`
 * wants the database to itself, and a CLI run beside the live app must not fail on that.
 */
export function migrateDatabase(file: string): void {
  if (pendingMigrations(file).length === 0) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const cli = require.resolve("prisma/build/index.js");
  const result = spawnSync(process.execPath, [cli, "migrate", "deploy"], {
    cwd: projectRoot(),
    env: childEnvironment({ DATABASE_URL: `file:${file}` }),
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`prisma migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
  }
}

/** Names of the migrations this build of the app knows, oldest first. */
export function knownMigrations(root = projectRoot()): string[] {
  const dir = path.join(root, "prisma", "migrations");
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** The migrations applied to a database, oldest first (none without Prisma's table). */
function appliedMigrations(db: Sqlite): string[] {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
  if (!table) return [];
  return db
    .prepare(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name",
    )
    .pluck()
    .all() as string[];
}

/** The latest migration applied to a database, or null when it has none. */
export function appliedSchemaVersion(db: Sqlite): string | null {
  return appliedMigrations(db).at(-1) ?? null;
}
