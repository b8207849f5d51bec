// The schema migration to the original's full model must carry an existing database's
// rows forward: a lab that ran the earlier schema loses nothing by upgrading.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { knownMigrations, migrateDatabase } from "@/lib/db/migrate";
import { withSqlite } from "@/lib/db/sqlite";
import { tempDir } from "@/tests/support/db";

/** A database at the first migration only, migrated by Prisma's own CLI from a copy of the project. */
function databaseAtFirstMigration(): string {
  const project = tempDir("labq-old-schema-");
  const first = knownMigrations()[0]!;
  fs.mkdirSync(path.join(project, "prisma", "migrations"), { recursive: true });
  fs.cpSync(path.resolve("prisma/migrations", first), path.join(project, "prisma/migrations", first), {
    recursive: true,
  });
  fs.copyFileSync(
    path.resolve("prisma/migrations/migration_lock.toml"),
    path.join(project, "prisma/migrations/migration_lock.toml"),
  );
  fs.copyFileSync(path.resolve("prisma/schema.prisma"), path.join(project, "prisma/schema.prisma"));
  // The Prisma CLI's config reads DATABASE_URL through lib/config, so the copy carries both.
  fs.copyFileSync(path.resolve("prisma.config.ts"), path.join(project, "prisma.config.ts"));
  fs.mkdirSync(path.join(project, "lib"));
  fs.copyFileSync(path.resolve("lib/config.ts"), path.join(project, "lib/config.ts"));
  fs.symlinkSync(path.resolve("node_modules"), path.join(project, "node_modules"));
  const file = path.join(project, "old.sqlite3");
  execFileSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    cwd: project,
    env: { ...process.env, DATABASE_URL: `file:${file}` },
    stdio: "pipe",
  });
  return file;
}

describe("migrating a database made with the earlier schema", () => {
  it("keeps every row and fills the original's added fields with their defaults", () => {
    const file = databaseAtFirstMigration();
    withSqlite((db) => {
      db.exec(`
        INSERT INTO auth_user (id, username, password, date_joined) VALUES (1, 'ada', 'x', '2024-01-01T00:00:00.000+00:00');
        INSERT INTO userRegistration_userprofile (id, user_id, phone_number, department, is_approved, created_at)
          VALUES (7, 1, '555', 'Physics', 1, '2024-01-02T00:00:00.000+00:00');
        INSERT INTO calendarEditor_machine (id, name, min_temp, max_temp, cooldown_hours, updated_at)
          VALUES (3, 'Hidalgo', 0.01, 1.5, 48, '2024-01-03T00:00:00.000+00:00');
        INSERT INTO calendarEditor_notificationpreference (id, user_id, notify_queue_added, updated_at)
          VALUES (4, 1, 0, '2024-01-04T00:00:00.000+00:00');
      `);
    }, file);

    migrateDatabase(file);

    withSqlite((db) => {
      expect(
        db
          .prepare(
            "SELECT id, user_id, phone_number, department, is_approved, status, is_lab_manager, updated_at FROM userRegistration_userprofile",
          )
          .get(),
      ).toEqual({
        id: 7,
        user_id: 1,
        phone_number: "555",
        department: "Physics",
        is_approved: 1,
        status: "pending",
        is_lab_manager: 0,
        updated_at: "2024-01-02T00:00:00.000+00:00",
      });
      expect(db.prepare("SELECT name, cooldown_hours, warmup_hours FROM calendarEditor_machine").get()).toEqual({
        name: "Hidalgo",
        cooldown_hours: 48,
        warmup_hours: 0,
      });
      expect(
        db
          .prepare(
            "SELECT notify_queue_added, notify_training_request, slack_notifications FROM calendarEditor_notificationpreference",
          )
          .get(),
      ).toEqual({ notify_queue_added: 0, notify_training_request: 1, slack_notifications: 1 });
      expect(db.pragma("foreign_key_check")).toEqual([]);
    }, file);
  });
});
