// A restore must not lock the lab out of its console: the sign-in check, the browser's
// guard, and "Keep my account" with every kind of id clash.
import { describe, expect, it } from "vitest";

import { authenticate, createAccount } from "@/lib/auth/accounts";
import { verifyPassword } from "@/lib/auth/password";
import { readKeptAccounts, UnknownKeptAccountError } from "@/lib/backup/restore/keep-accounts";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { prisma } from "@/lib/db/prisma";
import { openSqlite, sqlRunner, withSqlite } from "@/lib/db/sqlite";
import { exportFile, records, type BackupDoc } from "@/tests/support/backup";
import { contentHash, freshDatabase, seededDatabase, tableCounts } from "@/tests/support/db";
import { readDoc } from "@/tests/support/django";

/** A backup of another database (8 users, ids 1–8), after `prepare` ran SQL on it. */
async function otherBackup(prepare?: (sql: (statement: string, ...args: unknown[]) => void) => void): Promise<string> {
  const source = seededDatabase(300, { activate: false, seed: 2 });
  if (prepare) withSqlite((db) => prepare((statement, ...args) => db.prepare(statement).run(...args)), source);
  return exportFile(source);
}

/** In a backup, another account at id 9: the id the live admin gets in liveAdmin(). */
function someoneElseAtId9(sql: (statement: string) => void): void {
  sql(
    "INSERT INTO auth_user (id, username, password, date_joined) VALUES (9, 'someone-else', '!x', '2024-01-01T00:00:00.000+00:00')",
  );
}

const PASSWORD = "keeper-password-1";

const liveFile = () => process.env.DATABASE_URL!.replace("file:", "");

/** Runs SQL on the live database. */
function live(statement: string, ...args: unknown[]): void {
  withSqlite((db) => db.prepare(statement).run(...args), liveFile());
}

function liveRows(statement: string, ...args: unknown[]): unknown[] {
  return withSqlite(
    (db) =>
      db
        .prepare(statement)
        .raw()
        .all(...args),
    liveFile(),
    { readonly: true },
  );
}

/** Restores `file` in the browser's way, keeping the acting admin "keeper". */
async function restoreKeepingKeeper(file: string) {
  const result = await restoreBackup({
    file,
    actor: "keeper",
    source: "ui",
    guardSignIn: true,
    keepAccounts: ["keeper"],
    silent: true,
  });
  expect(result.ok, JSON.stringify(result).slice(0, 500)).toBe(true);
  if (!result.ok) throw new Error(result.error);
  return result;
}

/** The acting admin in the live database: a staff account with a profile and preferences. */
async function liveAdmin(extraUsersFirst = 0) {
  seededDatabase(30, { seed: 4 });
  for (let i = 0; i < extraUsersFirst; i++)
    await createAccount({ username: `filler${i}`, password: "filler-password" });
  const admin = await createAccount({ username: "keeper", password: PASSWORD, staff: true });
  await prisma().userProfile.update({
    where: { userId: admin.id },
    data: { organization: "vtech", isLabManager: true },
  });
  return admin;
}

describe("the sign-in check before a restore", () => {
  it("refuses, in the browser, a backup without the acting admin, and changes nothing", async () => {
    const file = await otherBackup();
    const admin = await liveAdmin();
    const before = contentHash(liveFile());
    const result = await restoreBackup({ file, actor: admin.username, source: "ui", guardSignIn: true });
    expect(result).toMatchObject({ ok: false, stage: "validate" });
    if (result.ok) return;
    expect(result.error).toBe(
      "Your account (keeper) is not in this backup: you would be signed out and could not sign in again. " +
        "No active staff account with a usable password is in this backup: nobody could sign in to this console afterwards. " +
        "Nothing was changed. Choose “Keep my account”, or sign in afterwards as one of the backup's staff, to restore it without locking yourself out.",
    );
    expect(contentHash(liveFile())).toBe(before);
  });

  it("lets the CLI go ahead, saying in the check who could sign in", async () => {
    const file = await otherBackup((sql) => sql("UPDATE auth_user SET is_staff = 0, is_superuser = 0"));
    await liveAdmin();
    const result = await restoreBackup({ file, actor: "shell-user", source: "cli", silent: true });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.signIn).toMatchObject({ staffWhoCanSignIn: 0, locksOut: true });
    expect(result.signIn.warnings.join(" ")).toMatch(/No active staff account with a usable password/);
  });

  it("refuses a backup in which nobody could sign in as staff, even when the acting account is kept", async () => {
    const file = await otherBackup((sql) =>
      sql("UPDATE auth_user SET is_active = 0 WHERE is_staff = 1 OR is_superuser = 1"),
    );
    const admin = await liveAdmin();
    // Kept, but not staff itself: after the restore no one could open this console.
    await prisma().user.update({ where: { id: admin.id }, data: { isStaff: false } });
    const result = await restoreBackup({
      file,
      actor: "keeper",
      source: "ui",
      guardSignIn: true,
      keepAccounts: ["keeper"],
    });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/nobody could sign in/) });
    if (result.ok) return;
    expect(result.error).not.toMatch(/Your account/);
  });

  it("names an account to keep that does not exist, and changes nothing", async () => {
    const file = await otherBackup();
    await liveAdmin();
    const result = await restoreBackup({ file, actor: "keeper", source: "cli", keepAccounts: ["nobody-here"] });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/no account named "nobody-here"/) });
  });
});

describe("keep my account", () => {
  it("keeps the admin signed-in-able with the same id, password, profile and preferences; every model else is the file's", async () => {
    const file = await otherBackup();
    const admin = await liveAdmin();
    const result = await restoreKeepingKeeper(file);
    expect(result.kept).toEqual(["Kept keeper as it was before the restore, with its profile and preferences."]);
    expect(await authenticate("keeper", PASSWORD)).toMatchObject({ id: admin.id, isStaff: true });
    const profile = await prisma().userProfile.findUniqueOrThrow({ where: { userId: admin.id } });
    expect(profile).toMatchObject({ organization: "vtech", isLabManager: true, status: "approved" });
    expect(await prisma().notificationPreference.count({ where: { userId: admin.id } })).toBe(1);
    const counts = tableCounts(liveFile());
    const doc = readDoc(file) as BackupDoc;
    expect(counts["auth.User"]).toBe(records(doc, "auth.User").length + 1);
    expect(counts["calendarEditor.QueueEntry"]).toBe(records(doc, "calendarEditor.QueueEntry").length);
    withSqlite((db) => expect(db.pragma("foreign_key_check")).toEqual([]), liveFile());
  });

  it("gives the admin a free id where the backup uses theirs for someone else, whose records keep their ids", async () => {
    // The live admin gets id 9; in the backup, id 9 is someone else who owns a queue entry.
    const file = await otherBackup((sql) => {
      someoneElseAtId9(sql);
      sql("UPDATE calendarEditor_queueentry SET user_id = 9 WHERE id = 1");
    });
    const admin = await liveAdmin();
    expect(admin.id).toBe(9);
    const result = await restoreKeepingKeeper(file);
    expect(result.kept).toEqual([
      "Kept keeper as it was before the restore, with its profile and preferences; " +
        "it now has id 10, because the backup's someone-else keeps id 9.",
    ]);
    expect((await prisma().user.findUniqueOrThrow({ where: { username: "someone-else" } })).id).toBe(9);
    expect((await prisma().queueEntry.findUniqueOrThrow({ where: { id: 1 } })).userId).toBe(9);
    expect(await authenticate("keeper", PASSWORD)).toMatchObject({ id: 10, isStaff: true });
    const profile = await prisma().userProfile.findUniqueOrThrow({ where: { userId: 10 } });
    expect(profile).toMatchObject({ organization: "vtech", isLabManager: true });
    withSqlite((db) => expect(db.pragma("foreign_key_check")).toEqual([]), liveFile());
  });

  it("moves the admin to the backup's id for the same username, leaving the backup's other account where it was", async () => {
    // Live, the admin is id 9; in the backup id 9 is someone else and the admin is id 3.
    const file = await otherBackup((sql) => {
      someoneElseAtId9(sql);
      sql("UPDATE auth_user SET username = 'keeper' WHERE id = 3");
    });
    const admin = await liveAdmin();
    expect(admin.id).toBe(9);
    const result = await restoreKeepingKeeper(file);
    expect(result.kept).toEqual([
      "Kept keeper as it was before the restore, with its profile and preferences; " +
        "it now has id 3, the backup's id for it, with everything that refers to it there.",
    ]);
    expect((await prisma().user.findUniqueOrThrow({ where: { id: 9 } })).username).toBe("someone-else");
  });

  it("makes the backup's older record of the admin the kept account, keeping what refers to it", async () => {
    // In the backup the same person is id 3 with an old password and a queue entry; live, id 11.
    const file = await otherBackup((sql) => {
      sql("UPDATE auth_user SET username = 'keeper', password = '!old' WHERE id = 3");
      sql("UPDATE calendarEditor_queueentry SET user_id = 3 WHERE id = 2");
    });
    const admin = await liveAdmin(2);
    expect(admin.id).toBe(11);
    const result = await restoreKeepingKeeper(file);
    expect(result.signIn.actor).toMatchObject({ status: "differs" });
    expect(result.kept[0]).toMatch(/it now has id 3, the backup's id for it/);
    expect(await authenticate("keeper", PASSWORD)).toMatchObject({ id: 3 });
    expect((await prisma().queueEntry.findUniqueOrThrow({ where: { id: 2 } })).userId).toBe(3);
    expect(await prisma().user.count({ where: { username: "keeper" } })).toBe(1);
    expect(await prisma().user.findUnique({ where: { id: 11 } })).toBeNull();
  });
});

describe("keep my account, piece by piece", () => {
  it("says no more than that when the backup holds the account at the same id", async () => {
    const admin = await liveAdmin();
    const file = await otherBackup((sql) =>
      sql(
        "INSERT INTO auth_user (id, username, password, is_staff, date_joined) VALUES (?, 'keeper', '!old', 1, '2024-01-01T00:00:00.000+00:00')",
        admin.id,
      ),
    );
    const result = await restoreKeepingKeeper(file);
    expect(result.kept).toEqual(["Kept keeper as it was before the restore, with its profile and preferences."]);
    expect(await authenticate("keeper", PASSWORD)).toMatchObject({ id: admin.id });
  });

  it("finds the admin's own profile and preferences by their owner, not by matching ids", async () => {
    const admin = await liveAdmin();
    // Someone else's profile and preferences hold the admin's id as their own id.
    live("UPDATE userRegistration_userprofile SET id = 500 WHERE user_id = ?", admin.id);
    live("UPDATE userRegistration_userprofile SET id = ? WHERE user_id = 1", admin.id);
    live("UPDATE calendarEditor_notificationpreference SET id = 500 WHERE user_id = ?", admin.id);
    live("UPDATE calendarEditor_notificationpreference SET id = ? WHERE user_id = 1", admin.id);
    const owned = (table: string) =>
      liveRows(`SELECT * FROM ${table} WHERE user_id = ?`, admin.id).map((row) => (row as unknown[]).slice(1));
    const before = ["userRegistration_userprofile", "calendarEditor_notificationpreference"].map(owned);
    const file = await otherBackup();
    await restoreKeepingKeeper(file);
    // Every column but the id (which the restored data may give to someone else) as it was.
    expect(["userRegistration_userprofile", "calendarEditor_notificationpreference"].map(owned)).toEqual(before);
  });

  it("keeps the presets the admin follows now, not those the backup's record of them follows", async () => {
    const admin = await liveAdmin();
    const file = await otherBackup((sql) => {
      sql(
        "INSERT INTO auth_user (id, username, password, is_staff, date_joined) VALUES (?, 'keeper', '!old', 1, '2024-01-01T00:00:00.000+00:00')",
        admin.id,
      );
      sql(
        "INSERT INTO calendarEditor_notificationpreference (id, user_id, created_at, updated_at) VALUES (900, ?, '2024-01-01T00:00:00.000+00:00', '2024-01-01T00:00:00.000+00:00')",
        admin.id,
      );
      sql('INSERT INTO "_FollowedPresets" (A, B) VALUES (900, 1), (900, 2)');
    });
    const preference = await prisma().notificationPreference.findUniqueOrThrow({ where: { userId: admin.id } });
    live('DELETE FROM "_FollowedPresets" WHERE A = ?', preference.id);
    live('INSERT INTO "_FollowedPresets" (A, B) VALUES (?, 3)', preference.id);
    await restoreKeepingKeeper(file);
    const kept = await prisma().notificationPreference.findUniqueOrThrow({
      where: { userId: admin.id },
      include: { followedPresets: { select: { id: true } } },
    });
    // The backup's links of that preference (to presets 1 and 2) are gone with it.
    expect(kept.followedPresets).toEqual([{ id: 3 }]);
    expect(liveRows('SELECT A, B FROM "_FollowedPresets" WHERE B IN (1, 2) AND A = ?', kept.id)).toEqual([]);
  });

  it("clears the kept profile's references to people the restored data does not have, as SET NULL would", async () => {
    const admin = await liveAdmin();
    const outsider = await createAccount({ username: "outsider", password: "outsider-password" });
    live(
      "UPDATE userRegistration_userprofile SET approved_by_id = ?, developer_promoted_by_id = 2 WHERE user_id = ?",
      outsider.id,
      admin.id,
    );
    const file = await otherBackup();
    await restoreKeepingKeeper(file);
    expect(await prisma().userProfile.findUniqueOrThrow({ where: { userId: admin.id } })).toMatchObject({
      approvedById: null,
      developerPromotedById: 2,
      labManagerPromotedById: null,
    });
  });

  it("keeps an account that has no profile or preferences now without the backup's", async () => {
    const admin = await liveAdmin();
    live("DELETE FROM userRegistration_userprofile WHERE user_id = ?", admin.id);
    live("DELETE FROM calendarEditor_notificationpreference WHERE user_id = ?", admin.id);
    const file = await otherBackup((sql) => {
      sql(
        "INSERT INTO auth_user (id, username, password, is_staff, date_joined) VALUES (?, 'keeper', '!old', 1, '2024-01-01T00:00:00.000+00:00')",
        admin.id,
      );
      sql(
        "INSERT INTO userRegistration_userprofile (id, user_id, organization, created_at, updated_at) VALUES (900, ?, 'old-org', '2024-01-01T00:00:00.000+00:00', '2024-01-01T00:00:00.000+00:00')",
        admin.id,
      );
    });
    await restoreKeepingKeeper(file);
    expect(await prisma().userProfile.findUnique({ where: { userId: admin.id } })).toBeNull();
    expect(await prisma().notificationPreference.findUnique({ where: { userId: admin.id } })).toBeNull();
    expect(await authenticate("keeper", PASSWORD)).toMatchObject({ id: admin.id });
  });

  it("refuses to keep an account the database does not hold", async () => {
    freshDatabase();
    const db = openSqlite(liveFile());
    try {
      await expect(readKeptAccounts(sqlRunner(db), ["nobody-here"])).rejects.toThrow(
        new UnknownKeptAccountError('There is no account named "nobody-here" to keep.'),
      );
    } finally {
      db.close();
    }
  });
});

describe("moving in from the original app, keeping the installer's account", () => {
  it("leaves the lab's superuser at id 1 with everything that refers to it, and gives the installer's account a free id", async () => {
    freshDatabase();
    const installer = await createAccount({ username: "admin", password: PASSWORD, staff: true, superuser: true });
    expect(installer.id).toBe(1);
    const file = "tests/fixtures/django-real/database_backup_2026-05-20_09-56-51.json";
    const doc = readDoc(file) as BackupDoc;
    const presetsOfPk1 = records(doc, "calendarEditor.QueuePreset").filter((r) => r.fields.creator === 1).length;
    const result = await restoreBackup({
      file,
      actor: "admin",
      source: "ui",
      guardSignIn: true,
      keepAccounts: ["admin"],
      silent: true,
    });
    expect(result.ok, JSON.stringify(result).slice(0, 300)).toBe(true);
    if (!result.ok) return;
    const freeId = Math.max(...records(doc, "auth.User").map((r) => r.pk)) + 1;
    expect(result.kept).toEqual([
      "Kept admin as it was before the restore, with its profile and preferences; " +
        `it now has id ${freeId}, because the backup's qtdtq keeps id 1.`,
    ]);
    expect(await prisma().user.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({
      username: "qtdtq",
      isSuperuser: true,
    });
    expect(await prisma().queuePreset.count({ where: { creatorId: 1 } })).toBe(presetsOfPk1);
    expect(await authenticate("admin", PASSWORD)).toMatchObject({ id: freeId });
  });
});

describe("moving in, signing in afterwards as the lab's superuser instead", () => {
  const REAL = "tests/fixtures/django-real/database_backup_2026-05-20_09-56-51.json";
  const as = (username: string, password: string) => ({
    username,
    passwordMatches: (hash: string) => verifyPassword(password, hash),
  });
  const installerRestores = (signInAs: ReturnType<typeof as>) =>
    restoreBackup({ file: REAL, actor: "admin", source: "ui", guardSignIn: true, signInAs, silent: true });

  it("refuses a wrong password for the chosen account and changes nothing", async () => {
    freshDatabase();
    await createAccount({ username: "admin", password: PASSWORD, staff: true, superuser: true });
    const before = contentHash(liveFile());
    const result = await installerRestores(as("qtdtq", "lab-2-pass"));
    expect(result).toMatchObject({
      ok: false,
      stage: "validate",
      error: "That is not qtdtq's password in this backup; nothing was changed.",
    });
    expect(contentHash(liveFile())).toBe(before);
  });

  it("restores every record under its own id with the right password, keeping no account of this install", async () => {
    freshDatabase();
    await createAccount({ username: "admin", password: PASSWORD, staff: true, superuser: true });
    const result = await installerRestores(as("qtdtq", "lab-1-pass"));
    expect(result.ok, JSON.stringify(result).slice(0, 300)).toBe(true);
    if (!result.ok) return;
    expect(result.kept).toEqual([]);
    expect(result.signIn.whoCanSignIn.filter((a) => a.role !== "active").map((a) => a.username)).toContain("qtdtq");
    expect(await prisma().user.findUnique({ where: { username: "admin" } })).toBeNull();
    expect(await authenticate("qtdtq", "lab-1-pass")).toMatchObject({ id: 1, isSuperuser: true });
    expect(tableCounts(liveFile())["auth.User"]).toBe(records(readDoc(REAL) as BackupDoc, "auth.User").length);
  });
});
