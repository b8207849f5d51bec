// What a restore leaves in the History and says about its stops, in the words staff read, and
// the sign-in check as the CLI's dry run reads it from the live database.
import { createHash } from "node:crypto";
import fs from "node:fs";

import { describe, expect, it } from "vitest";

import { createAccount } from "@/lib/auth/accounts";
import { restoreBeforeSnapshot } from "@/lib/backup/audit";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { liveAccount, restoreAccess, type FileAccount } from "@/lib/backup/restore/sign-in-check";
import { snapshotsDir } from "@/lib/backup/snapshot";
import { dataDir } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { withSqlite } from "@/lib/db/sqlite";
import { exportFile } from "@/tests/support/backup";
import { seededDatabase } from "@/tests/support/db";

const liveFile = () => process.env.DATABASE_URL!.replace("file:", "");

async function lastEvent() {
  const event = await prisma().backupEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
  return { ...event, detail: JSON.parse(event.detail) as Record<string, unknown> };
}

describe("a restore in the History", () => {
  it("records the file's size and SHA-256, how many records it loaded from where, and the safety snapshot", async () => {
    const file = await exportFile(seededDatabase(20, { activate: false, seed: 4 }));
    seededDatabase(10, { seed: 5 });
    const result = await restoreBackup({ file, actor: "tester", source: "cli", label: "lab.json", silent: true });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const event = await lastEvent();
    expect(event).toMatchObject({
      kind: "restore",
      source: "cli",
      actor: "tester",
      result: "ok",
      bytes: fs.statSync(file).size,
      sha256: createHash("sha256").update(fs.readFileSync(file)).digest("hex"),
    });
    const total = result.models.reduce((n, m) => n + m.inBackup, 0);
    expect(event.detail).toMatchObject({
      mode: "replace",
      summary: `${total.toLocaleString("en-US")} records from lab.json`,
      safetySnapshot: result.safetySnapshot,
    });
  });

  it("names a merge as a merge, with what it added, brought in under a new id and found already here", async () => {
    const file = await exportFile(seededDatabase(20, { activate: false, seed: 4 }));
    seededDatabase(10, { seed: 5 });
    const result = await restoreBackup({
      file,
      actor: "tester",
      source: "ui",
      label: "lab.json",
      merge: true,
      silent: true,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { models } = result;
    const sum = (pick: (m: (typeof models)[number]) => number | undefined) =>
      models.reduce((n, m) => n + (pick(m) ?? 0), 0);
    const [added, conflicts, present] = [sum((m) => m.added), sum((m) => m.conflicts), sum((m) => m.present)];
    expect(conflicts).toBeGreaterThan(0);
    expect((await lastEvent()).detail).toMatchObject({
      mode: "merge",
      summary: `Merged ${(added + conflicts).toLocaleString("en-US")} of ${(added + conflicts + present).toLocaleString("en-US")} records from lab.json (${conflicts.toLocaleString("en-US")} under a new id; ${present.toLocaleString("en-US")} already here)`,
      models: result.models,
    });
    // A roll back to the snapshot this merge took says what it undoes.
    expect(await restoreBeforeSnapshot(result.safetySnapshot)).toMatch(
      /^before tester merged lab\.json on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/,
    );

    const refused = await restoreBackup({ file: `${file}.missing`, actor: "tester", source: "ui", merge: true });
    expect(refused.ok).toBe(false);
    expect((await lastEvent()).detail).toMatchObject({ mode: "merge" });
  });

  it("says a sign-in refusal in the same words as the refusal", async () => {
    const file = await exportFile(seededDatabase(20, { activate: false, seed: 4 }));
    seededDatabase(10, { seed: 5 });
    await createAccount({ username: "ada", password: "ada-password-1", staff: true });
    const result = await restoreBackup({ file, actor: "ada", source: "ui", guardSignIn: true, label: "lab.json" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^Your account \(ada\) is not in this backup/);
    expect((await lastEvent()).detail.summary).toBe(`refused: ${result.error}`);
  });

  it("gives the reason a safety snapshot could not be written", async () => {
    const file = await exportFile(seededDatabase(20, { activate: false, seed: 4 }));
    seededDatabase(10, { seed: 5 });
    fs.mkdirSync(dataDir(), { recursive: true });
    fs.writeFileSync(snapshotsDir(), "not a folder");
    const result = await restoreBackup({ file, actor: "tester", source: "cli" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^The safety snapshot could not be taken \(E[A-Z]+: .+\); nothing was changed\.$/);
  });
});

describe("the sign-in check of a dry run", () => {
  it("reads the live account's rights and activity as they are", async () => {
    seededDatabase(10, { seed: 5 });
    await createAccount({ username: "boss", password: "boss-password-1", superuser: true });
    withSqlite(
      (db) => db.prepare("UPDATE auth_user SET is_active = 0, is_staff = 0 WHERE username = 'boss'").run(),
      liveFile(),
    );
    const account = withSqlite((db) => liveAccount(db, "boss"), liveFile());
    expect(account).toMatchObject({ username: "boss", isActive: false, isStaff: false, isSuperuser: true });
    expect(withSqlite((db) => liveAccount(db, "nobody"), liveFile())).toBeNull();
  });

  it("names an account to keep that does not exist, and still counts who could sign in", () => {
    seededDatabase(10, { seed: 5 });
    const inFile: FileAccount[] = [
      {
        pk: 1,
        username: "ada",
        password: "pbkdf2_sha256$1$s$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        isActive: true,
        isStaff: true,
        isSuperuser: false,
      },
    ];
    const access = withSqlite(
      (db) => restoreAccess(db, inFile, { actor: "", keepAccounts: ["nobody-here"] }),
      liveFile(),
      { readonly: true },
    );
    expect(access.refusal).toBe('There is no account named "nobody-here" to keep; nothing was changed.');
    expect(access.check).toMatchObject({ actor: null, staffWhoCanSignIn: 1, locksOut: false });
  });
});
