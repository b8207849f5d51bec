// Schema migrations are Prisma's (`prisma migrate deploy`); this runs them for a given
// file and reads back which one is applied, the backup's `schema_version`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type { Sqlite } from "@/lib/db/sqlite";

const require = createRequire(import.meta.url);

export function migrateDatabase(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const cli = require.resolve("prisma/build/index.js");
  const result = spawnSync(process.execPath, [cli, "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${file}` },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`prisma migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
  }
}

/** Names of the migrations this build of the app knows, oldest first. */
export function knownMigrations(root = process.cwd()): string[] {
  const dir = path.join(root, "prisma", "migrations");
  return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

/** The latest migration applied to a database, or null when it has none. */
export function appliedSchemaVersion(db: Sqlite): string | null {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
  if (!table) return null;
  const row = db
    .prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name DESC LIMIT 1")
    .pluck()
    .get() as string | undefined;
  return row ?? null;
}
