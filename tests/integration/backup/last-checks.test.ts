// The last checks inside the restore transaction — every record loaded, foreign_key_check,
// quick_check — only ever see data the validator already accepted, so no file reaches them.
// Faults injected after validation prove each one stops the COMMIT on its own.
import { describe, expect, it } from "vitest";

import { restoreBackup, type RestoreOptions } from "@/lib/backup/restore/restore";
import { exportText, writeTemp } from "@/tests/support/backup";
import { contentHash, seededDatabase } from "@/tests/support/db";

async function restoreWithFault(faults: NonNullable<RestoreOptions["faults"]>) {
  const file = writeTemp(await exportText(seededDatabase(40, { activate: false, seed: 3 })));
  const target = seededDatabase(25, { seed: 7 });
  const before = contentHash(target);
  const result = await restoreBackup({ file, actor: "tester", source: "cli", silent: true, faults });
  return { result, unchanged: contentHash(target) === before };
}

describe("the checks before COMMIT stop what validation let through", () => {
  it("control: the same restore without a fault succeeds and changes the database", async () => {
    const { result, unchanged } = await restoreWithFault({});
    expect(result.ok).toBe(true);
    expect(unchanged).toBe(false);
  });

  it("a foreign key broken after validation: foreign_key_check rolls the restore back", async () => {
    const { result, unchanged } = await restoreWithFault({
      afterLoad: (db) => {
        db.prepare(
          "UPDATE calendarEditor_queueentry SET user_id = 999999 WHERE id = (SELECT MIN(id) FROM calendarEditor_queueentry)",
        ).run();
      },
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(
      /rolled back \(foreign_key_check found 1 broken references \(first: calendarEditor_queueentry row \d+ → auth_user\)\)/,
    );
    expect(!result.ok && result.stage).toBe("check");
    expect(unchanged).toBe(true);
  });

  it("a record lost after validation: the count check rolls the restore back", async () => {
    const { result, unchanged } = await restoreWithFault({
      afterLoad: (db) => {
        db.prepare(
          "DELETE FROM calendarEditor_notification WHERE id = (SELECT MAX(id) FROM calendarEditor_notification)",
        ).run();
      },
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/rolled back \(\d+ records were loaded, but the file holds \d+\)/);
    expect(unchanged).toBe(true);
  });

  it("a damaged database page: quick_check rolls the restore back", async () => {
    const { result, unchanged } = await restoreWithFault({
      quickCheck: "*** in database main ***\nPage 7: btreeInitPage() returns error code 11",
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/rolled back \(quick_check failed: \*\*\* in database main/);
    expect(unchanged).toBe(true);
  });
});
