// A merge changes no existing row, so nobody who can sign in now is locked out by it: the
// browser's sign-in guard and "Keep my account" do not apply to it.
import { describe, expect, it } from "vitest";

import { createAccount } from "@/lib/auth/accounts";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { exportFile } from "@/tests/support/backup";
import { seededDatabase, tableCounts } from "@/tests/support/db";

describe("merging, for the acting admin", () => {
  it("goes ahead in the browser although the file lacks the admin, who stays as they are", async () => {
    const file = await exportFile(seededDatabase(120, { activate: false, seed: 8 }));
    const target = seededDatabase(60, { seed: 1 });
    await createAccount({ username: "merger", password: "merger-password", staff: true });
    const result = await restoreBackup({
      file,
      actor: "merger",
      source: "ui",
      merge: true,
      guardSignIn: true,
      silent: true,
    });
    expect(result.ok, JSON.stringify(result).slice(0, 400)).toBe(true);
    if (!result.ok) return;
    expect(result.kept).toEqual([]);
    expect(result.signIn.actor).toBeNull();
    // Another lab's entries: those whose id is taken here come in under new ids.
    expect(tableCounts(target)["calendarEditor.QueueEntry"]).toBe(60 + 120);
  });

  it("ignores an account to keep, even one that does not exist: nothing existing changes anyway", async () => {
    const file = await exportFile(seededDatabase(40, { activate: false, seed: 8 }));
    seededDatabase(20, { seed: 1 });
    const result = await restoreBackup({
      file,
      actor: "tester",
      source: "cli",
      merge: true,
      keepAccounts: ["nobody-here"],
      silent: true,
    });
    expect(result.ok, JSON.stringify(result).slice(0, 400)).toBe(true);
    if (result.ok) expect(result.kept).toEqual([]);
  });
});
