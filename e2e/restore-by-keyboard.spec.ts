import fs from "node:fs";

import { expect, test, type Locator, type Page } from "@playwright/test";

import { currentBackup } from "./support/backups";
import { signInAsAdmin } from "./support/helpers";

/** Presses Tab until `target` has focus; fails if it is not reachable within `limit` presses. */
async function tabTo(page: Page, target: Locator, limit = 40) {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target).toBeFocused();
}

test("a lab manager checks and restores a backup with the keyboard alone", async ({ page }, testInfo) => {
  await signInAsAdmin(page);
  // A backup of the data as it is now, so the restore leaves the next specs what they expect.
  const file = testInfo.outputPath("current.json");
  fs.writeFileSync(file, JSON.stringify(await currentBackup(page)));

  await page.goto("/admin/storage");
  const input = page.getByLabel("Backup file");
  await input.setInputFiles(file);
  await tabTo(page, page.getByRole("button", { name: "Upload and check" }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("dry-run-report")).toBeVisible({ timeout: 30_000 });
  // Focus moves to the dry run's heading, and the live region says it is ready.
  await expect(page.getByRole("heading", { name: /^Dry run: current\.json/ })).toBeFocused();
  await expect(page.getByTestId("restore-announcement")).toHaveText(/^Dry run ready for current\.json\. /);

  const restoreButton = page.getByRole("button", { name: "Restore this backup…" });
  await tabTo(page, restoreButton);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Replace ALL current data?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Type RESTORE to confirm")).toBeFocused();

  // Escape closes it and gives focus back to the button that opened it.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(restoreButton).toBeFocused();

  // While it is open, Tab never reaches the page behind it (a native modal may hand focus to
  // the browser's own controls, where document.activeElement is the body, and back).
  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("Tab");
    const where = await dialog.evaluate((d) =>
      d.contains(document.activeElement) ? "dialog" : document.activeElement?.tagName,
    );
    expect(["dialog", "BODY"]).toContain(where);
  }
  await tabTo(page, dialog.getByLabel("Type RESTORE to confirm"));
  await page.keyboard.type("RESTORE");
  await tabTo(page, dialog.getByRole("button", { name: "Replace all data" }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("restore-report")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("restore-report")).not.toContainText("Sign in again");
  // Focus moves to the outcome, announced too.
  await expect(page.getByRole("heading", { name: /^Restore complete in/ })).toBeFocused();
  await expect(page.getByTestId("restore-announcement")).toHaveText("Restore complete.");
});

test("discarding a dry run by keyboard brings focus back to the file chooser, not the top of the page", async ({
  page,
}) => {
  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  await page
    .getByLabel("Backup file")
    .setInputFiles("tests/fixtures/django-real/database_backup_2026-02-12_07-32-28.json");
  await tabTo(page, page.getByRole("button", { name: "Upload and check" }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("dry-run-report")).toBeVisible({ timeout: 30_000 });
  await tabTo(page, page.getByRole("button", { name: "Discard" }), 80);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("dry-run-report")).toBeHidden();
  await expect(page.getByLabel("Backup file")).toBeFocused();
});
