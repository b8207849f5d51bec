import path from "node:path";

import { expect, test } from "@playwright/test";

import { E2E } from "./support/env";
import { confirmRestore, entityRow, expectSignedIn, signIn, signInAsAdmin } from "./support/helpers";

// A real backup the original Django app wrote (anonymized): the lab's move to this app.
const ORIGINAL_BACKUP = path.resolve("tests/fixtures/django-real/database_backup_2026-05-20_09-56-51.json");

test("a lab manager restores the original app's backup, its people sign in, and a roll back brings the old data back", async ({
  page,
}) => {
  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  await page.getByLabel("Backup file").setInputFiles(ORIGINAL_BACKUP);
  await page.getByRole("button", { name: "Upload and check" }).click();
  const report = page.getByTestId("dry-run-report");
  await expect(report).toBeVisible({ timeout: 30_000 });
  await expect(report).toContainText("Made bythe original Django app");
  await expect(entityRow(report, "Notifications")).toContainText("604");
  await expect(page.getByText("The file is whole and restorable.")).toBeVisible();

  // What Django itself would have normalised is listed, folded away until asked for.
  const notes = page.getByTestId("dry-run-notes");
  await expect(notes).toContainText("values loaded the way the original app loads them");
  await notes.locator("summary").click();
  await expect(notes).toContainText('47 records hold "admin_action", which is not one of the field\'s choices');
  await expect(notes).toContainText(
    'a true/false value where text belongs; kept as the original app keeps it (true → "True"), so nothing is lost.',
  );

  const outcome = await confirmRestore(page);
  await expect(entityRow(outcome, "Users")).toContainText("23");

  // The original's superuser signs in with the password it had there, and sees its people as it knew them.
  await signIn(page, "qtdtq", "lab-1-pass");
  await expectSignedIn(page);
  await page.goto("/admin/users");
  // The 23 accounts of the backup, and the e2e admin's, kept by "Keep my account" (on by default).
  await expect(page.getByTestId("user-row")).toHaveCount(24);
  await expect(page.getByTestId("user-row").filter({ hasText: E2E.admin.username })).toBeVisible();
  const admin = page.getByTestId("user-row").filter({ hasText: "qtdtq" });
  await expect(admin).toContainText("superuser");
  await expect(admin).toContainText("approved");
  await expect(page.getByTestId("user-row").filter({ hasText: "lab manager" }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: /University of Arkansas/ }).first()).toBeVisible();

  // Roll back to the data from before the restore; the e2e admin account is back with it.
  await page.goto("/admin/storage");
  const snapshot = page.getByTestId("safety-snapshot").first();
  await expect(snapshot).toContainText(
    `Before migration from the original app: restoring database_backup_2026-05-20_09-56-51.json (by ${E2E.admin.username})`,
  );
  await snapshot.getByRole("button", { name: /^Roll back to this…/ }).click();
  await expect(page.getByTestId("rollback-preview").getByTestId("dry-run-report")).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Roll back to this snapshot…" }).click();
  const rollback = page.getByRole("dialog", { name: "Roll back ALL data to this snapshot?" });
  await rollback.getByLabel("Type RESTORE to confirm").fill("RESTORE");
  await rollback.getByRole("button", { name: "Roll back" }).click();
  const rolledBack = page.getByTestId("restore-report");
  await expect(rolledBack).toBeVisible({ timeout: 60_000 });
  await expect(rolledBack.getByRole("heading", { name: /Roll back complete/ })).toBeVisible();
  await expect(rolledBack).toContainText(
    `The data is back as it was in the safety snapshot before migration from the original app: restoring database_backup_2026-05-20_09-56-51.json (by ${E2E.admin.username}), taken`,
  );
  // The original's superuser is not in the data rolled back to: the whole page says so, with the way on.
  const signedOut = page.getByRole("alertdialog", { name: "You are signed out" });
  await expect(signedOut).toBeVisible();
  await expect(signedOut.getByRole("link", { name: "Sign in again" })).toBeFocused();
  await signIn(page, E2E.admin.username, E2E.admin.password);
  await expectSignedIn(page);

  // …and the original's superuser is gone again.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("Username").fill("qtdtq");
  await page.getByLabel("Password").fill("lab-1-pass");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong username or password")).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
});
