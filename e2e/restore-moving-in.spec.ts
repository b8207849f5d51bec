// Moving in from the original Django app: a fresh install (no demo data; the installer's
// `admin` gets id 1) restores the lab's real backup. Either way through the lockout keeps the
// backup's ids — the lab's superuser stays id 1 — and the installer's account can then go.
import fs from "node:fs";
import path from "node:path";

import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";

import { startApp, type RunningApp } from "../tests/support/app-server";
import { E2E } from "./support/env";
import { expectSignedIn } from "./support/helpers";

const REAL_BACKUP = path.resolve("tests/fixtures/django-real/database_backup_2026-05-20_09-56-51.json");
/** Known for every usable account of the real fixtures: `lab-<pk>-pass` (tests/fixtures/django-real/README.md). */
const LAB_SUPERUSER = { username: "qtdtq", password: "lab-1-pass" };
const INSTALLER = { username: "admin", password: "installer-password-1" };
/** Above the e2e server's port and below its object store's (port + 2000). */
const PORT = Number(E2E.port) + 1000;

let app: RunningApp;
let databaseFile: string;

test.describe.configure({ mode: "serial", timeout: 240_000 });

test.beforeEach(async ({}, testInfo) => {
  const dir = testInfo.outputPath("fresh-install");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  databaseFile = path.join(dir, "db.sqlite3");
  app = await startApp(
    {
      DATABASE_URL: `file:${databaseFile}`,
      DATA_DIR: path.join(dir, "data"),
      SEED_DEMO_DATA: "0",
      INITIAL_ADMIN_USERNAME: INSTALLER.username,
      INITIAL_ADMIN_PASSWORD: INSTALLER.password,
      NEXTAUTH_URL: `http://localhost:${PORT}`,
    },
    PORT,
  );
});

test.afterEach(async () => {
  await app?.stop();
});

/** Users in the fresh install's database: id → username. */
function usersNow(): Record<number, string> {
  const db = new Database(databaseFile, { readonly: true });
  try {
    const rows = db.prepare("SELECT id, username FROM auth_user ORDER BY id").all() as {
      id: number;
      username: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.id, r.username]));
  } finally {
    db.close();
  }
}

async function signIn(page: Page, who: { username: string; password: string }) {
  await page.goto(`${app.url}/signin`);
  await page.getByLabel("Username").fill(who.username);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // A PBKDF2 check of 600,000 to 1.5 million rounds: seconds on a busy machine.
  await expectSignedIn(page);
}

async function uploadRealBackup(page: Page) {
  await page.goto(`${app.url}/admin/storage`);
  await page.getByLabel("Backup file").setInputFiles(REAL_BACKUP);
  await page.getByRole("button", { name: "Upload and check" }).click();
  const report = page.getByTestId("dry-run-report");
  await expect(report).toBeVisible({ timeout: 30_000 });
  // Focus is on the dry run's heading, and the live region says it is ready.
  await expect(page.getByRole("heading", { name: /^Dry run: database_backup_2026-05-20/ })).toBeFocused();
  await expect(page.getByTestId("restore-announcement")).toContainText("Dry run ready for database_backup_2026-05-20");
  return report;
}

async function confirm(page: Page) {
  const dialog = page.getByRole("dialog", { name: "Replace ALL current data?" });
  await expect(dialog.getByLabel("Type RESTORE to confirm")).toBeFocused();
  await page.keyboard.type("RESTORE");
  await page.keyboard.press("Enter");
  return dialog;
}

test("a fresh install restores the lab's backup, its manager signing in afterwards as the lab's superuser", async ({
  page,
}) => {
  expect(usersNow()).toEqual({ 1: "admin" });
  await signIn(page, INSTALLER);
  const report = await uploadRealBackup(page);

  // The installer's account is not in the backup: a lockout (avoided while Keep my account is
  // chosen), and beside it who can sign in, by name and role.
  const signInNotice = report.getByTestId("dry-run-sign-in");
  await expect(signInNotice.getByTestId("lockout-avoided")).toContainText("Your account (admin) is not in this backup");
  const who = signInNotice.getByTestId("who-can-sign-in");
  await expect(who.getByTestId("sign-in-account")).toHaveText([
    "qtdtqsuperuser",
    "GoqohVlipsstaff",
    "ijvustaff",
    "Lzsgzvstaff",
  ]);
  await expect(who).toContainText("and 19 researchers");
  await expect(who).toContainText("Passwords come with the backup");

  await page.getByLabel(/I will sign in as one of the backup's staff accounts/).check();
  await expect(page.getByLabel("Account in the backup")).toHaveValue("qtdtq");
  await expect(signInNotice.getByRole("alert")).toContainText("Your account (admin) is not in this backup");

  // A wrong password is refused before anything changes; focus goes back to the password.
  await page.getByLabel("Its password").fill("lab-2-pass");
  await page.getByRole("button", { name: "Restore this backup…" }).click();
  await expect(page.getByTestId("sign-in-as-error")).toHaveText("That is not qtdtq's password in this backup.", {
    timeout: 30_000,
  });
  await expect(page.getByLabel("Its password")).toBeFocused();
  await expect(page.getByRole("dialog")).toBeHidden();
  expect(usersNow()).toEqual({ 1: "admin" });

  await page.getByLabel("Its password").fill(LAB_SUPERUSER.password);
  await page.getByRole("button", { name: "Restore this backup…" }).click();
  const dialog = page.getByRole("dialog", { name: "Replace ALL current data?" });
  await expect(dialog.getByTestId("confirm-sign-in-as")).toContainText("sign in again as qtdtq", { timeout: 30_000 });
  await confirm(page);

  // The session ends; the way on leads to the lab's superuser, whose name is filled in.
  const signedOut = page.getByRole("alertdialog", { name: "You are signed out" });
  await expect(signedOut).toBeVisible({ timeout: 60_000 });
  const link = signedOut.getByRole("link", { name: "Sign in as qtdtq" });
  await expect(link).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Username")).toHaveValue("qtdtq");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(LAB_SUPERUSER.password);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Manage Storage" })).toBeVisible({ timeout: 30_000 });

  // Every account under the backup's own id; the installer's is gone.
  const users = usersNow();
  expect(users[1]).toBe("qtdtq");
  expect(Object.values(users)).not.toContain("admin");
  expect(Object.keys(users)).toHaveLength(23);
});

test("a fresh install restores the lab's backup keeping its account, then the lab's superuser deletes it", async ({
  page,
}) => {
  await signIn(page, INSTALLER);
  await uploadRealBackup(page);
  await expect(page.getByLabel(/Keep my account/)).toBeChecked();
  await page.getByRole("button", { name: "Restore this backup…" }).click();
  await confirm(page);
  const outcome = page.getByTestId("restore-report");
  await expect(outcome).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("heading", { name: /^Restore complete in/ })).toBeFocused();
  await expect(outcome.getByTestId("restore-kept")).toHaveText(
    "Kept admin as it was before the restore, with its profile and preferences; it now has id 47, because the backup's qtdtq keeps id 1.",
  );
  expect(usersNow()[1]).toBe("qtdtq");
  expect(usersNow()[47]).toBe("admin");

  // The lab's superuser signs in with its own password and removes the installer's account.
  await page.getByRole("button", { name: "Sign out" }).click();
  // Sign-out navigates on its own: a page.goto before it lands is aborted.
  await expect(page).toHaveURL(/\/signin/);
  await signIn(page, LAB_SUPERUSER);
  await page.goto(`${app.url}/admin/users`);
  const row = page.getByTestId("user-row").filter({ hasText: /^admin/ });
  await row.getByText("Manage", { exact: true }).click();
  const remove = row.getByRole("button", { name: "Delete account…" });
  await remove.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Delete admin?" });
  await expect(dialog.getByLabel("Type DELETE to confirm")).toBeFocused();
  await page.keyboard.type("DELETE");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("users-notice")).toContainText("Deleted the account admin.");
  await expect(page.getByTestId("users-notice")).toContainText("A safety snapshot taken just before");
  await expect(page.getByTestId("users-notice")).toBeFocused();
  await expect(page.getByTestId("user-row")).toHaveCount(23);
  expect(Object.values(usersNow())).not.toContain("admin");

  // Its own account cannot be deleted from here.
  const me = page.getByTestId("user-row").filter({ hasText: /^qtdtq/ });
  await me.getByText("Manage", { exact: true }).click();
  await expect(me.getByRole("button", { name: "Delete account…" })).toHaveCount(0);

  // The History says who did it.
  await page.goto(`${app.url}/admin/storage`);
  await expect(page.getByTestId("history-row").first()).toContainText("account change");
  await expect(page.getByTestId("history-row").first()).toContainText("qtdtq");
  await expect(page.getByTestId("history-row").first()).toContainText("Deleted the account admin");
});
