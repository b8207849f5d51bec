// A pushed backup whose bytes were changed in the cloud store: fetched for a restore, it does
// not match the SHA-256 recorded at push time, so it is refused, discarded, and marked in red.
import fs from "node:fs";
import path from "node:path";

import { expect, test, type Page } from "@playwright/test";

import { E2E } from "./support/env";
import { cliOn, signInAsAdmin } from "./support/helpers";

const PUSHED_AT = "2026-09-06T00:00:00Z";
const NAME = "database_backup_2026-09-06_00-00-00.json.gz";
const RESTORE_THIS = new RegExp(`^Restore this… ${NAME.replace(/\./g, "\\.")}$`);
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** The file s3rver keeps an object's bytes in. */
function storedObject(name: string): string {
  const found = fs
    .readdirSync(E2E.s3.dir, { recursive: true, encoding: "utf8" })
    .find((file) => file.endsWith(`${name}._S3rver_object`));
  if (!found) throw new Error(`${name} is not in ${E2E.s3.dir}`);
  return path.join(E2E.s3.dir, found);
}

// A CLI run and a first sign-in (1.5 M PBKDF2 iterations) on a loaded machine can take most of the default minute.
test.setTimeout(120_000);

test("a backup changed in storage is refused when fetched, and shows a red SHA-256 mismatch", async ({
  page,
}, testInfo) => {
  expect(cliOn(E2E.databaseFile, "backup-push", ["--date", PUSHED_AT], E2E.s3.env)).toContain(`Uploaded ${NAME}`);
  // One byte flipped in the middle of the stored object: same size, other bytes.
  const file = storedObject(NAME);
  const bytes = fs.readFileSync(file);
  const middle = bytes.length >> 1;
  bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
  fs.writeFileSync(file, bytes);

  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  const card = page.getByTestId("cloud-backups");
  const row = card.getByTestId("cloud-backup").filter({ hasText: NAME });
  await expect(row).toContainText("not checked yet");
  await row.getByRole("button", { name: RESTORE_THIS }).click();
  await expect(card.getByRole("alert")).toContainText(/SHA-256/, { timeout: 30_000 });
  await expect(page.getByTestId("dry-run-report")).toHaveCount(0);

  await page.goto("/admin/storage");
  await expect(row).toContainText("SHA-256 mismatch: not restorable");
  await expect(row.getByRole("button", { name: RESTORE_THIS })).toBeDisabled();
  await card.screenshot({ path: testInfo.outputPath("cloud-mismatch-1440.png") });
  await page.setViewportSize({ width: 375, height: 740 });
  expect(await pageWidth(page)).toBeLessThanOrEqual(375);
  await card.screenshot({ path: testInfo.outputPath("cloud-mismatch-375.png") });
});
