// Property: whatever is done to a valid backup, a restore changes the database only if the
// file still verifies, and then the database holds exactly the file's records.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { restoreBackup } from "@/lib/backup/restore/restore";
import { isRestorable, verifyBackupFile } from "@/lib/backup/verify/verify";
import { exportText, writeTemp } from "@/tests/support/backup";
import { contentHash, seededDatabase } from "@/tests/support/db";
import { backupMutation } from "@/tests/support/mutations";

/** The records of a database as an export lists them (its header and notifications aside). */
async function recordsOf(db: string): Promise<string> {
  const doc = JSON.parse(await exportText(db)) as { models: Record<string, unknown> };
  delete doc.models["calendarEditor.Notification"];
  return JSON.stringify(doc.models);
}

describe("restoring randomly damaged backups", () => {
  it("never changes the database unless the file verifies, and never throws", async () => {
    const valid = await exportText(seededDatabase(20, { activate: false, seed: 5 }));
    const db = seededDatabase(20);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(backupMutation, async (mutation) => {
        const file = writeTemp(mutation.apply(valid));
        const before = contentHash(db);
        const verdict = await verifyBackupFile(file);
        const result = await restoreBackup({ file, actor: "property", source: "cli" });
        expect(result.ok, mutation.describe).toBe(isRestorable(verdict));
        if (!result.ok) {
          expect(contentHash(db), mutation.describe).toBe(before);
          return;
        }
        accepted++;
        // Accepted edits (say, one notification dropped and the file re-signed) are restored as they are.
        const restored = JSON.parse(await recordsOf(db)) as Record<string, unknown>;
        const doc = JSON.parse(mutation.apply(valid).toString()) as { models: Record<string, { pk: number }[]> };
        for (const [label, list] of Object.entries(doc.models)) {
          if (label === "calendarEditor.Notification") continue;
          expect((restored[label] as unknown[]).length, `${mutation.describe}: ${label}`).toBe(list.length);
        }
      }),
      { numRuns: 120 },
    );
    // Not every damage is fatal, and the property above covers both outcomes.
    expect(accepted).toBeGreaterThan(0);
  });
});
