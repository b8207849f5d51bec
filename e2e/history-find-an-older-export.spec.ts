// A lab manager looks for the last export made in the browser, and who made it, after a day of
// automation exports and a push to the cloud have pushed it off the History's first page: they
// filter to backups and restores, page back to older entries, reload, and use Back.
import { expect, test, type Page } from "@playwright/test";

import { E2E } from "./support/env";
import { cliOn, signInAsAdmin } from "./support/helpers";
import { sidewaysScrolling } from "./support/layout";

// A browser export, a CLI push and 21 API exports on a loaded machine.
test.setTimeout(180_000);

const AUTOMATION_EXPORTS = 21;

const position = (page: Page) => page.getByTestId("history-position");
const filters = (page: Page) => page.getByRole("navigation", { name: "Show in History" });
const pager = (page: Page) => page.getByRole("navigation", { name: "History pages" });
const rows = (page: Page) => page.getByTestId("history-row");
/** The browser export looked for: the only one by the admin "in the browser" among exports. */
const myExport = (page: Page) =>
  rows(page).filter({ hasText: "in the browser" }).filter({ hasText: E2E.admin.username });

test("finds an export pushed off the first page by filtering to backups and paging back; reload and Back keep the place", async ({
  page,
  request,
}, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export Complete Database" }).click();
  await download;
  await expect(page.getByTestId("download-done")).toBeVisible({ timeout: 30_000 });

  // Then the day goes on: automation's exports, and a push to the cloud from the command line.
  for (let i = 0; i < AUTOMATION_EXPORTS; i++) {
    const res = await request.get("/schedule/api/backup/database/", {
      headers: { Authorization: `Bearer ${E2E.backupApiKey}` },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(200);
  }
  cliOn(E2E.databaseFile, "backup-push", ["--date", "2026-12-05T05:00:00Z"], E2E.s3.env);

  await page.goto("/admin/storage");
  await expect(filters(page).getByRole("link", { name: "All" })).toHaveAttribute("aria-current", "page");
  await expect(position(page)).toHaveText(/^1–20 of \d+ entries$/);
  await expect(rows(page)).toHaveCount(20);
  await expect(myExport(page)).toHaveCount(0);
  await expect(rows(page).getByTestId("history-kind").filter({ hasText: "push to cloud" })).toHaveCount(1);

  // By keyboard: the filter, then the older entries.
  await filters(page).getByRole("link", { name: "Backups and restores" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\?history=backups#history-heading$/);
  await expect(filters(page).getByRole("link", { name: "Backups and restores" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(page.getByRole("table", { name: "History: backups and restores" })).toBeVisible();
  await expect(rows(page).getByTestId("history-kind").filter({ hasText: "push to cloud" })).toHaveCount(0);
  const backups = Number((await position(page).textContent())!.match(/of (\d+) entries/)![1]);
  expect(backups).toBeGreaterThanOrEqual(AUTOMATION_EXPORTS + 1);
  await expect(position(page)).toHaveText(`1–20 of ${backups} entries`);
  await expect(pager(page).getByRole("link", { name: "Newer" })).toHaveCount(0);

  await pager(page).getByRole("link", { name: "Older" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\?history=backups&history-page=2#history-heading$/);
  await expect(position(page)).toHaveText(new RegExp(`^21–\\d+ of ${backups} entries$`));
  await expect(myExport(page)).toHaveCount(1);
  await expect(myExport(page).getByTestId("history-kind")).toHaveText("export");
  await expect(myExport(page)).toContainText("ok");
  await expect(myExport(page)).toContainText(/ago|just now|second|minute/);
  await expect(page.getByRole("heading", { name: "History" })).toBeInViewport();
  const card = page.getByRole("region", { name: "History", exact: true });
  await card.screenshot({ path: testInfo.outputPath("history-older-backups-1440.png") });

  // A reload (or the link sent to a colleague) keeps the filter and the page.
  await page.reload();
  await expect(position(page)).toHaveText(new RegExp(`^21–\\d+ of ${backups} entries$`));
  await expect(myExport(page)).toHaveCount(1);

  // On a phone the same page is cards, and nothing scrolls sideways.
  await page.setViewportSize({ width: 375, height: 800 });
  const list = page.getByRole("list", { name: "History: backups and restores" });
  await expect(list.getByRole("listitem").filter({ hasText: `in the browser, by ${E2E.admin.username}` })).toHaveCount(
    1,
  );
  expect(await sidewaysScrolling(page)).toEqual([]);
  await card.screenshot({ path: testInfo.outputPath("history-older-backups-375.png") });
  await page.setViewportSize({ width: 1440, height: 900 });

  // Back goes to the newer entries, then to All.
  await page.goBack();
  await expect(page).toHaveURL(/\?history=backups#history-heading$/);
  await expect(position(page)).toHaveText(`1–20 of ${backups} entries`);
  await page.goBack();
  await expect(filters(page).getByRole("link", { name: "All" })).toHaveAttribute("aria-current", "page");
  await expect(position(page)).toHaveText(/^1–20 of \d+ entries$/);
});

test("a page past the end shows the oldest entries, and an address it cannot use shows the newest of all", async ({
  page,
}) => {
  await signInAsAdmin(page);
  await page.goto("/admin/storage?history=backups&history-page=999");
  await expect(pager(page).getByRole("status")).toHaveText(
    /^There (is only 1 page|are only \d+ pages): this is the oldest\.$/,
  );
  await expect(pager(page).getByRole("link", { name: "Older" })).toHaveCount(0);
  await expect(filters(page).getByRole("link", { name: "Backups and restores" })).toHaveAttribute(
    "aria-current",
    "page",
  );

  await page.goto("/admin/storage?history=%3Cb%3Enothing%3C%2Fb%3E&history-page=-4");
  await expect(filters(page).getByRole("link", { name: "All" })).toHaveAttribute("aria-current", "page");
  await expect(position(page)).toHaveText(/^(No entries|1 entry|1–\d+ of \d+ entries)$/);
  await expect(pager(page).getByRole("status")).toHaveCount(0);
});
