// The last checks inside the restore transaction — every record loaded, every foreign key,
// quick_check — only ever see records the validator accepted: no backup file reaches them.
// What they stop is the live database's own state, which the file cannot speak for: a table
// outside the backup that points at users, a trigger that drops rows, a damaged page. Each
// case below is a real database in that state, and each check stops the COMMIT on its own.
import { describe, expect, it } from "vitest";

import { restoreBackup } from "@/lib/backup/restore/restore";
import { withSqlite } from "@/lib/db/sqlite";
import { exportText, writeTemp } from "@/tests/support/backup";
import { contentHash, damageIndexPage, seededDatabase } from "@/tests/support/db";

/**
 * Restores another lab's backup over a database that `prepare` put in some state, and `damage`
 * (when given) damaged after the state was recorded; its repair is undone before comparing.
 */
async function restoreOver(prepare: (target: string) => void, damage?: (target: string) => { repair(): void }) {
  const file = writeTemp(await exportText(seededDatabase(40, { activate: false, seed: 3 })));
  const target = seededDatabase(25, { seed: 7 });
  prepare(target);
  const before = contentHash(target);
  const damaged = damage?.(target);
  const result = await restoreBackup({ file, actor: "tester", source: "cli", silent: true });
  damaged?.repair();
  return { result, unchanged: contentHash(target) === before };
}

describe("the checks before COMMIT stop what validation cannot see", () => {
  it("control: the same restore over an intact database succeeds and changes it", async () => {
    const { result, unchanged } = await restoreOver(() => {});
    expect(result.ok).toBe(true);
    expect(unchanged).toBe(false);
  });

  it("a table outside the backup points at a user the backup lacks: foreign_key_check rolls back", async () => {
    // Django's admin log, kept from the old app: its rows refer to accounts, and the backup
    // does not carry it. Replacing the accounts would leave its row pointing at nobody.
    const { result, unchanged } = await restoreOver((target) =>
      withSqlite((db) => {
        db.exec(`CREATE TABLE django_admin_log (
          id INTEGER PRIMARY KEY, action TEXT NOT NULL,
          user_id INTEGER NOT NULL REFERENCES auth_user (id))`);
        db.prepare("INSERT INTO auth_user (id, username, password) VALUES (900001, 'only-here', '!')").run();
        db.prepare("INSERT INTO django_admin_log (id, action, user_id) VALUES (7, 'changed a machine', 900001)").run();
      }, target),
    );
    expect(result).toMatchObject({ ok: false, stage: "check" });
    expect(!result.ok && result.error).toMatch(
      /rolled back \(foreign_key_check found 1 broken references \(first: django_admin_log row 7 → auth_user\)\)/,
    );
    expect(unchanged).toBe(true);
  });

  it("a trigger silently skips some inserts: the count check rolls back", async () => {
    // RAISE(IGNORE) makes an INSERT a no-op without an error: the rows are simply not there.
    const { result, unchanged } = await restoreOver((target) =>
      withSqlite(
        (db) =>
          db.exec(`CREATE TRIGGER drop_some_notices BEFORE INSERT ON calendarEditor_notification
                   WHEN NEW.id % 7 = 0 BEGIN SELECT RAISE(IGNORE); END`),
        target,
      ),
    );
    expect(result).toMatchObject({ ok: false, stage: "check" });
    expect(!result.ok && result.error).toMatch(/rolled back \(\d+ records were loaded, but the file holds \d+\)/);
    expect(unchanged).toBe(true);
  });

  it("a damaged page in a table the restore does not rewrite: quick_check rolls back", async () => {
    // The page of the migrations table's index: nothing the restore does reads it; only a
    // check of every page does.
    const { result, unchanged } = await restoreOver(
      () => {},
      (target) => damageIndexPage(target, "sqlite_autoindex__prisma_migrations_1"),
    );
    expect(result).toMatchObject({ ok: false, stage: "check" });
    expect(!result.ok && result.error).toMatch(/rolled back \(quick_check failed: \*\*\* in database main \*\*\*/);
    expect(unchanged).toBe(true);
  });
});
