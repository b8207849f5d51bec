import { expect, test } from "@playwright/test";

import { otherLabBackup } from "./support/backups";
import { E2E } from "./support/env";
import { signInAsAdmin, uploadForDryRun } from "./support/helpers";

test("restoring a backup without my account warns, refuses to lock me out, and Keep my account keeps me signed in", async ({
  page,
}, testInfo) => {
  const backup = otherLabBackup(testInfo.outputDir, { withE2eAdmin: false });
  await signInAsAdmin(page);
  await uploadForDryRun(page, backup);

  const signIn = page.getByTestId("dry-run-sign-in");
  await expect(signIn).toContainText(`Your account (${E2E.admin.username}) is not in this backup`);
  // Who can sign in afterwards, by name and role, beside the warning.
  await expect(signIn.getByTestId("who-can-sign-in")).toContainText("restored-researcher");
  await expect(signIn.getByTestId("who-can-sign-in")).toContainText("Passwords come with the backup");
  const keep = page.getByLabel(/Keep my account/);
  await expect(keep).toBeChecked();
  // Kept by default: the warning says how the option avoids the lockout, not in red.
  await expect(signIn.getByTestId("lockout-avoided")).toContainText(
    `With the options below, it will not: Your account (${E2E.admin.username}) is kept as it is now, so you stay signed in.`,
  );
  await expect(signIn.getByRole("alert")).toHaveCount(0);

  // The other way through needs an account of the backup and its password before it can start:
  // until then, the lockout is a red warning again.
  await page.getByLabel(/I will sign in as one of the backup's staff accounts/).check();
  const restore = page.getByRole("button", { name: "Restore this backup…" });
  await expect(restore).toBeDisabled();
  await expect(page.getByText("Type restored-researcher's password, as it is in this backup.")).toBeVisible();
  await expect(signIn.getByRole("alert")).toContainText("Restoring this backup as it is would lock people out.");

  await keep.check();
  await expect(signIn.getByRole("alert")).toHaveCount(0);
  await restore.click();
  const dialog = page.getByRole("dialog", { name: "Replace ALL current data?" });
  await expect(dialog).toContainText("keeping your own account as it is");
  await expect(dialog.getByTestId("confirm-summary")).toContainText(/^Replaces [\d,]+ rows with [\d,]+ rows/);
  await dialog.getByLabel("Type RESTORE to confirm").fill("RESTORE");
  await dialog.getByRole("button", { name: "Replace all data" }).click();

  const outcome = page.getByTestId("restore-report");
  await expect(outcome).toBeVisible({ timeout: 60_000 });
  // The rows counted after it are the file's and my kept account's: said, not left to puzzle over.
  await expect(outcome).toContainText("holds, with your account kept as it was:");
  await expect(outcome.getByTestId("restore-kept")).toContainText(
    `Kept ${E2E.admin.username} as it was before the restore`,
  );
  await expect(outcome).not.toContainText("Sign in again");

  // Still signed in: the console opens on the restored data.
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await expect(page.getByTestId("user-row").filter({ hasText: "restored-researcher" })).toBeVisible();
  await expect(page.getByTestId("user-row").filter({ hasText: E2E.admin.username })).toBeVisible();

  // Rolling back to the snapshot taken before: my kept account has another id there, and a
  // roll back offers no way to keep an account, so its warning says what is true for it.
  await page.goto("/admin/storage");
  await page
    .getByTestId("safety-snapshot")
    .first()
    .getByRole("button", { name: /^Roll back to this…/ })
    .click();
  const rollbackSignIn = page.getByTestId("rollback-preview").getByTestId("dry-run-sign-in");
  await expect(rollbackSignIn).toContainText("Rolling back to this snapshot would lock people out.", {
    timeout: 30_000,
  });
  await expect(rollbackSignIn).toContainText("A roll back keeps no account as it is now");
  await expect(rollbackSignIn).not.toContainText("Keep your account");
  await expect(rollbackSignIn.getByTestId("who-can-sign-in")).toContainText("Passwords come with the snapshot");
  await page.getByTestId("rollback-preview").getByRole("button", { name: "Cancel" }).click();
});
