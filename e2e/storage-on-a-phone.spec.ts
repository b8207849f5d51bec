// Manage Storage on a 375 px phone: nothing scrolls sideways (neither the page nor a table
// inside it), before and after a dry run, and History shows each entry whole on screen.
import { expect, test } from "@playwright/test";

import { E2E } from "./support/env";
import { signInAsAdmin, uploadForDryRun } from "./support/helpers";
import { rightEdge, sidewaysScrolling } from "./support/layout";

const PHONE = { width: 375, height: 800 };

test("Manage Storage fits a 375 px phone without sideways scrolling, before and after a dry run", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  expect(await sidewaysScrolling(page)).toEqual([]);
  await uploadForDryRun(page, "tests/fixtures/django-real/database_backup_2026-02-12_07-32-28.json");
  await page.getByTestId("dry-run-notes").locator("summary").click();
  expect(await sidewaysScrolling(page)).toEqual([]);
  await page.getByRole("button", { name: "Discard" }).click();
});

test("History on a 375 px phone shows each entry, with its result and size, without sideways scrolling", async ({
  page,
}, testInfo) => {
  await page.setViewportSize(PHONE);
  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export Complete Database" }).click();
  await download;
  await expect(page.getByTestId("download-done")).toBeVisible({ timeout: 30_000 });

  expect(await sidewaysScrolling(page)).toEqual([]);

  const history = page.getByRole("list", { name: "History: all entries" });
  const newest = history.getByRole("listitem").first();
  await expect(newest.getByRole("heading")).toHaveText("export");
  await expect(newest).toContainText(`in the browser, by ${E2E.admin.username}`);
  await expect(newest.getByRole("definition").filter({ hasText: /^\d+(\.\d)? (KiB|MiB)$/ })).toBeVisible();
  const result = newest.getByText("ok", { exact: true });
  await expect(result).toBeVisible();
  expect(await rightEdge(result)).toBeLessThanOrEqual(PHONE.width);
  // One set of entries for assistive technology: the wide table is hidden on a phone.
  await expect(page.getByRole("table", { name: "History: all entries" })).toBeHidden();
  await history.screenshot({ path: testInfo.outputPath("history-375.png") });
});

test("on a phone the page's sections are links at the top, each to its heading; a laptop shows the columns instead", async ({
  page,
}) => {
  await page.setViewportSize(PHONE);
  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  const contents = page.getByRole("navigation", { name: "On this page" });
  const links = contents.getByRole("link");
  expect(await links.count()).toBe(10);
  for (const link of await links.all()) {
    const target = (await link.getAttribute("href"))!;
    await expect(page.locator(target), target).toHaveCount(1);
  }
  await contents.getByRole("link", { name: "Restore" }).click();
  await expect(page.getByRole("heading", { name: "Restore", exact: true })).toBeInViewport();

  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(contents).toBeHidden();
});
