import { execFileSync } from "node:child_process";
import fs from "node:fs";

import { expect, test } from "@playwright/test";

import { ageKeyPair } from "../tests/support/keys";
import { currentBackup } from "./support/backups";
import { confirmRestore, entityRow, signInAsAdmin } from "./support/helpers";

test("an encrypted backup asks for its key file, refuses a wrong one, and restores with the right one", async ({
  page,
}, testInfo) => {
  await signInAsAdmin(page);
  const plain = testInfo.outputPath("database_backup.json");
  const doc = await currentBackup(page);
  const machines = doc.models["calendarEditor.Machine"]!.length;
  fs.writeFileSync(plain, JSON.stringify(doc));
  const { keyFile, recipient } = ageKeyPair(testInfo.outputPath());
  const wrongKeyFile = ageKeyPair(testInfo.outputPath()).keyFile;
  const encrypted = `${plain}.age`;
  execFileSync("age", ["-r", recipient, "-o", encrypted, plain]); // the reference tool, as on a laptop

  await page.goto("/admin/storage");
  await page.getByLabel("Backup file").setInputFiles(encrypted);
  const keyField = page.getByLabel("Key file");
  await expect(keyField).toBeVisible();
  await expect(page.getByTestId("key-file-field")).toContainText("it opens the file once and is not kept");

  await page.getByRole("button", { name: "Upload and check" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "choose its key file too" })).toBeVisible();

  await keyField.setInputFiles(wrongKeyFile);
  await page.getByRole("button", { name: "Upload and check" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "encrypted for another key" })).toBeVisible();
  await expect(page.getByTestId("dry-run-report")).toHaveCount(0);

  await keyField.setInputFiles(keyFile);
  await page.getByRole("button", { name: "Upload and check" }).click();
  const report = page.getByTestId("dry-run-report");
  await expect(report).toBeVisible({ timeout: 30_000 });
  await expect(report.getByTestId("dry-run-encrypted")).toContainText("opened with your key file");
  await expect(page.getByText("verified: every record is as exported")).toBeVisible();

  const outcome = await confirmRestore(page);
  const machineRow = entityRow(outcome, "Machines");
  await expect(machineRow.locator("td").nth(2)).toHaveText(String(machines));
});
