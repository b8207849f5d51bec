import { expect, test } from "@playwright/test";

import { otherLabBackup } from "./support/backups";
import { signInAsAdmin, uploadForDryRun } from "./support/helpers";

test("the dry run shows what changes, and a silent restore leaves exactly the file's rows", async ({
  page,
}, testInfo) => {
  const backup = otherLabBackup(testInfo.outputDir, { scale: 60 });
  await signInAsAdmin(page);
  await uploadForDryRun(page, backup);

  // Fewer rows than now show in red with a minus sign; the age of the backup is in words.
  const queue = page
    .getByTestId("dry-run-row")
    .filter({ has: page.getByText("calendarEditor.QueueEntry", { exact: true }) });
  await expect(queue).toContainText("60");
  await expect(queue.locator("span.text-red-700")).toContainText("−");
  await expect(page.getByTestId("dry-run-summary")).toContainText(/queue entries fewer/);
  await expect(page.getByTestId("dry-run-age")).toContainText(/just now|minutes? ago/);
  await expect(page.getByTestId("dry-run-sign-in")).toContainText("Your account is the same in this backup");

  await page.getByLabel(/Silent restore/).check();
  await page.getByRole("button", { name: "Restore this backup…" }).click();
  const dialog = page.getByRole("dialog", { name: "Replace ALL current data?" });
  await dialog.getByLabel("Type RESTORE to confirm").fill("RESTORE");
  await dialog.getByRole("button", { name: "Replace all data" }).click();

  const outcome = page.getByTestId("restore-report");
  await expect(outcome).toBeVisible({ timeout: 60_000 });
  await expect(outcome).toContainText("No staff were notified.");
  // After equals in-file for every model: the restore added nothing of its own.
  for (const row of await outcome.locator("tbody tr").all()) {
    const cells = await row.locator("td").allTextContents();
    expect(cells[1], (await row.textContent()) ?? "").toBe(cells[2]);
  }
});
