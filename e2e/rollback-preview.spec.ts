// Rolling back to a safety snapshot: each snapshot says what it was taken before, when, and
// what it holds; "Roll back to this…" shows the same dry run as a restore, changes nothing
// until the typed confirmation, whose dialog repeats the dry run's summary.
import fs from "node:fs";

import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";

import { currentBackup } from "./support/backups";
import { E2E } from "./support/env";
import { confirmRestore, entityRow, signInAsAdmin, uploadForDryRun } from "./support/helpers";

const notifications = () => {
  const db = new Database(E2E.databaseFile, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM calendarEditor_notification").get() as { n: number }).n;
  } finally {
    db.close();
  }
};

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

test("a roll back shows its dry run first, and its confirmation repeats it", async ({ page }, testInfo) => {
  await signInAsAdmin(page);
  // Today's data as a file; then five notifications are lost; restoring the file brings them back.
  const file = testInfo.outputPath("lab-today.json");
  fs.writeFileSync(file, JSON.stringify(await currentBackup(page)));
  const db = new Database(E2E.databaseFile);
  db.prepare(
    "DELETE FROM calendarEditor_notification WHERE id IN (SELECT id FROM calendarEditor_notification ORDER BY id DESC LIMIT 5)",
  ).run();
  db.close();
  const withoutFive = notifications();

  await uploadForDryRun(page, file);
  await page.getByLabel(/Silent restore/).check();
  await confirmRestore(page);
  expect(notifications()).toBe(withoutFive + 5);

  // The snapshot of the data the restore replaced says so.
  await page.goto("/admin/storage");
  const snapshot = page.getByTestId("safety-snapshot").first();
  await expect(snapshot.getByTestId("safety-snapshot-about")).toHaveText(
    `Before restoring lab-today.json (silent, by ${E2E.admin.username})`,
  );
  await expect(snapshot.getByTestId("safety-snapshot-taken")).toContainText("just now");
  await expect(snapshot.getByTestId("safety-snapshot-taken")).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
  await expect(snapshot.getByTestId("safety-snapshot-holds")).toContainText(`${withoutFive} notifications`);
  await page.getByTestId("safety-snapshots").screenshot({ path: testInfo.outputPath("safety-snapshots-1440.png") });

  // Roll back to this…: the dry run, and nothing changed yet.
  await snapshot.getByRole("button", { name: /^Roll back to this…/ }).click();
  const preview = page.getByTestId("rollback-preview");
  const report = preview.getByTestId("dry-run-report");
  await expect(report).toBeVisible({ timeout: 30_000 });
  await expect(
    report.getByRole("heading", { name: /Dry run: the safety snapshot before restoring lab-today\.json/ }),
  ).toBeVisible();
  await expect(report.getByText("Snapshot taken", { exact: true })).toBeVisible();
  const row = entityRow(report, "Notifications");
  await expect(row).toContainText("−5");
  const summary = (await report.getByTestId("dry-run-summary").textContent())!;
  expect(summary).toMatch(/5 notifications fewer/);
  expect(notifications()).toBe(withoutFive + 5);
  await preview.screenshot({ path: testInfo.outputPath("rollback-preview-1440.png") });

  // Cancel leaves everything as it was.
  await preview.getByRole("button", { name: "Cancel" }).click();
  await expect(preview).toHaveCount(0);
  expect(notifications()).toBe(withoutFive + 5);

  // Again, on a phone: the page still fits.
  await page.setViewportSize({ width: 375, height: 800 });
  await snapshot.getByRole("button", { name: /^Roll back to this…/ }).click();
  await expect(page.getByTestId("rollback-preview").getByTestId("dry-run-report")).toBeVisible({ timeout: 30_000 });
  expect(await pageWidth(page)).toBeLessThanOrEqual(375);
  await page.getByTestId("safety-snapshots").screenshot({ path: testInfo.outputPath("rollback-preview-375.png") });

  await page.getByRole("button", { name: "Roll back to this snapshot…" }).click();
  const dialog = page.getByRole("dialog", { name: "Roll back ALL data to this snapshot?" });
  await expect(dialog.getByTestId("confirm-summary")).toHaveText(summary);
  await dialog.getByLabel("Type RESTORE to confirm").fill("RESTORE");
  await dialog.getByRole("button", { name: "Roll back" }).click();
  const outcome = page.getByTestId("restore-report");
  await expect(outcome.getByRole("heading", { name: /Roll back complete/ })).toBeVisible({ timeout: 60_000 });
  await expect(outcome).toContainText(
    "The data is back as it was in the safety snapshot before restoring lab-today.json",
  );

  // The roll back's own snapshot says what it is, on the refreshed list.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/admin/storage");
  await expect(page.getByTestId("safety-snapshot").first().getByTestId("safety-snapshot-about")).toHaveText(
    new RegExp(
      `^Before rolling back to the safety snapshot of \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC \\(by ${E2E.admin.username}\\)$`,
    ),
  );
  await page
    .getByTestId("safety-snapshots")
    .screenshot({ path: testInfo.outputPath("safety-snapshots-after-1440.png") });
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await pageWidth(page)).toBeLessThanOrEqual(375);
  await page.getByTestId("safety-snapshots").screenshot({ path: testInfo.outputPath("safety-snapshots-375.png") });
});
