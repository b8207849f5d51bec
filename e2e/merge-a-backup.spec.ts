import fs from "node:fs";

import { expect, test } from "@playwright/test";

import { currentBackup, currentBackupAsOriginalApp } from "./support/backups";
import { entityRow, signInAsAdmin, uploadForDryRun } from "./support/helpers";

test("merging a backup adds only its new records and changes nothing that exists", async ({ page }, testInfo) => {
  await signInAsAdmin(page);
  const doc = await currentBackupAsOriginalApp(page);
  // Three notifications written elsewhere since (new ids), and one existing one edited in the file.
  const notifications = doc.models["calendarEditor.Notification"]!;
  const last = notifications.at(-1)!;
  for (let i = 1; i <= 3; i++) {
    notifications.push({ ...last, pk: last.pk + i, fields: { ...last.fields, title: `Merged notice ${i}` } });
  }
  notifications[0]!.fields.title = "Edited in the file; must not change";
  const file = testInfo.outputPath("with-new-notices.json");
  fs.writeFileSync(file, JSON.stringify(doc));
  await uploadForDryRun(page, file);

  await page.getByLabel(/^Merge:/).check();
  await expect(page.getByLabel(/Keep my account/)).toHaveCount(0);
  // The merge's own dry run: three notices to add, the rest already here (the edited one too).
  await expect(page.getByTestId("merge-summary")).toHaveText(
    /^Adds 3 records; nothing that exists changes\. [\d,]+ records are already here and stay as they are\.$/,
  );
  await page.getByRole("button", { name: "Merge this backup…" }).click();
  const dialog = page.getByRole("dialog", { name: "Add the backup's new records?" });
  await expect(dialog).toContainText("every existing row stays as it is");
  await expect(dialog.getByTestId("confirm-merge-models")).toHaveText(/^Notifications: 3 added, [\d,]+ already here$/);
  await dialog.getByLabel("Type RESTORE to confirm").fill("RESTORE");
  await dialog.getByRole("button", { name: "Add new records" }).click();

  const outcome = page.getByTestId("restore-report");
  await expect(outcome).toBeVisible({ timeout: 60_000 });
  await expect(outcome.getByRole("heading")).toContainText("Merge complete");
  const row = entityRow(outcome, "Notifications");
  const [before, inBackup, added, underNewId, present, linked, after] = (await row.locator("td").allTextContents()).map(
    (t) => Number(t.replaceAll(",", "")),
  );
  expect(added).toBe(3);
  // The edited notice is the same record (same recipient, same creation time): already here, kept as it is.
  expect(underNewId).toBe(0);
  expect(linked).toBe(0);
  expect(present).toBe(inBackup! - 3);
  // Besides the three, the merge's own "database restored" notices went to staff (reported apart).
  expect(after).toBe(before! + 3);

  // History names the kind of restore.
  await expect(page.getByTestId("history-row").first().getByTestId("history-kind")).toHaveText("restore: merge");

  const again = await currentBackup(page);
  const titles = again.models["calendarEditor.Notification"]!.map((n) => n.fields.title);
  expect(titles).toEqual(expect.arrayContaining(["Merged notice 1", "Merged notice 2", "Merged notice 3"]));
  expect(titles).not.toContain("Edited in the file; must not change");
});
