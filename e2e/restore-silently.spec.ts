import fs from "node:fs";

import { expect, test } from "@playwright/test";

import { currentBackupAsOriginalApp } from "./support/backups";
import { entityRow, signInAsAdmin, uploadForDryRun } from "./support/helpers";

test("the dry run shows what changes, and a silent restore leaves exactly the file's rows", async ({
  page,
}, testInfo) => {
  await signInAsAdmin(page);
  // Today's data as the original app would have written it (no digest), with most notifications gone.
  const doc = await currentBackupAsOriginalApp(page);
  const notifications = doc.models["calendarEditor.Notification"]!;
  const kept = 10;
  const removed = notifications.length - kept;
  doc.models["calendarEditor.Notification"] = notifications.slice(0, kept);
  const file = testInfo.outputPath("fewer-notifications.json");
  fs.writeFileSync(file, JSON.stringify(doc));
  await uploadForDryRun(page, file);

  // Fewer rows than now show in red with a minus sign; the age of the backup is in words.
  const row = entityRow(page.getByTestId("dry-run-report"), "Notifications");
  await expect(row.locator("span.text-red-700")).toHaveText(`−${removed.toLocaleString("en-US")}`);
  await expect(page.getByTestId("dry-run-summary")).toContainText(
    `${removed.toLocaleString("en-US")} notifications fewer`,
  );
  await expect(page.getByTestId("dry-run-age")).toContainText(/just now|minutes? ago/);
  await expect(page.getByText("none in this file, so changes after export cannot be ruled out")).toBeVisible();
  await expect(page.getByTestId("dry-run-sign-in")).toContainText("Your account is the same in this backup");
  await expect(page.getByLabel(/Keep my account/)).not.toBeChecked();

  await page.getByLabel(/Silent restore/).check();
  await page.getByRole("button", { name: "Restore this backup…" }).click();
  const dialog = page.getByRole("dialog", { name: "Replace ALL current data?" });
  await expect(dialog.getByTestId("confirm-summary")).toContainText(
    `${removed.toLocaleString("en-US")} notifications fewer`,
  );
  await dialog.getByLabel("Type RESTORE to confirm").fill("RESTORE");
  await dialog.getByRole("button", { name: "Replace all data" }).click();

  const outcome = page.getByTestId("restore-report");
  await expect(outcome).toBeVisible({ timeout: 60_000 });
  await expect(outcome).toContainText("No staff were notified.");
  // After equals in-file for every model: the restore added nothing of its own.
  const rows = await outcome.locator("tbody tr").all();
  expect(rows).toHaveLength(8);
  for (const r of rows) {
    const cells = await r.locator("td").allTextContents();
    expect(cells[2], (await r.textContent()) ?? "").toBe(cells[1]);
  }
});
