import { expect, test, type Page } from "@playwright/test";

import { signInAsAdmin, uploadForDryRun } from "./support/helpers";

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

test("Manage Storage fits a 375 px phone without sideways scrolling, before and after a dry run", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  expect(await pageWidth(page)).toBeLessThanOrEqual(375);
  await uploadForDryRun(page, "tests/fixtures/django-real/database_backup_2026-02-12_07-32-28.json");
  await page.getByTestId("dry-run-notes").locator("summary").click();
  expect(await pageWidth(page)).toBeLessThanOrEqual(375);
  await page.getByRole("button", { name: "Discard" }).click();
});
