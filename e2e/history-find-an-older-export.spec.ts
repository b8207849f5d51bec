// A lab manager looks for the last export made in the browser, and who made it, after a day of
// automation exports and a push to the cloud have pushed it off the History's first page: they
// filter to backups and restores, page back to older entries, reload, and use Back.
import { createHash } from "node:crypto";
import fs from "node:fs";

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
/** The export looked for, known by its file's SHA-256 (the row shows its start, the whole in its title). */
const rowOf = (page: Page, sha256: string) => rows(page).filter({ has: page.locator(`code[title="${sha256}"]`) });

test("finds an export pushed off the first page by filtering to backups and paging back; reload and Back keep the place", async ({
  page,
  request,
}, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export Complete Database" }).click();
  const file = testInfo.outputPath("export.json");
  await (await downloading).saveAs(file);
  const sha256 = createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  await expect(page.getByTestId("download-done")).toContainText(sha256, { timeout: 30_000 });
  const myExport = (p: Page) => rowOf(p, sha256);

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
  const card = page.getByRole("region", { name: "History", exact: true });
  await card.screenshot({ path: testInfo.outputPath("history-all-1440.png") });

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
  await expect(myExport(page)).toContainText("in the browser");
  await expect(myExport(page)).toContainText(E2E.admin.username);
  await expect(myExport(page)).toContainText(/ago|just now|second|minute/);
  await expect(page.getByRole("heading", { name: "History" })).toBeInViewport();
  await card.screenshot({ path: testInfo.outputPath("history-older-backups-1440.png") });

  // A reload (or the link sent to a colleague) keeps the filter and the page.
  await page.reload();
  await expect(position(page)).toHaveText(new RegExp(`^21–\\d+ of ${backups} entries$`));
  await expect(myExport(page)).toHaveCount(1);

  // On a phone the same page is cards, and nothing scrolls sideways.
  await page.setViewportSize({ width: 375, height: 800 });
  const list = page.getByRole("list", { name: "History: backups and restores" });
  const myCard = list.getByRole("listitem").filter({ hasText: sha256 });
  await expect(myCard).toHaveCount(1);
  await expect(myCard).toContainText(`in the browser, by ${E2E.admin.username}`);
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
}, testInfo) => {
  await signInAsAdmin(page);
  await page.goto("/admin/storage?history=backups&history-page=999");
  await expect(pager(page).getByRole("status")).toHaveText(
    /^There (is only 1 page|are only \d+ pages): this is the oldest\.$/,
  );
  await expect(pager(page).getByRole("link", { name: "Older" })).toHaveCount(0);
  await page.setViewportSize({ width: 375, height: 800 });
  await pager(page).screenshot({ path: testInfo.outputPath("history-past-the-end-375.png") });
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(filters(page).getByRole("link", { name: "Backups and restores" })).toHaveAttribute(
    "aria-current",
    "page",
  );

  await page.goto("/admin/storage?history=%3Cb%3Enothing%3C%2Fb%3E&history-page=-4");
  await expect(filters(page).getByRole("link", { name: "All" })).toHaveAttribute("aria-current", "page");
  await expect(position(page)).toHaveText(/^(No entries|1 entry|1–\d+ of \d+ entries)$/);
  await expect(pager(page).getByRole("status")).toHaveCount(0);
});

test("the Users page leads to the History of account changes and sign-ins", async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto("/admin/users");
  await page.getByRole("link", { name: "the History on Manage Storage" }).click();
  await expect(page).toHaveURL(/\/admin\/storage\?history=accounts#history-heading$/);
  await expect(filters(page).getByRole("link", { name: "Accounts and failed sign-ins" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(page.getByRole("heading", { name: "History", exact: true })).toBeInViewport();
});
