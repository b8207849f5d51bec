// A lab manager opens Users on a phone: every account's roles and its Manage controls are on
// screen without scrolling sideways, and Manage opens from the keyboard. On a wide screen the
// table shows every column, Manage included, without a sideways scroll either.
import { expect, test } from "@playwright/test";

import { E2E } from "./support/env";
import { signInAsAdmin } from "./support/helpers";
import { rightEdge, sidewaysScrolling } from "./support/layout";

const PHONE = { width: 375, height: 800 };

test("on a 375 px phone each account shows its roles and Manage on screen, and nothing scrolls sideways", async ({
  page,
}, testInfo) => {
  await page.setViewportSize(PHONE);
  await signInAsAdmin(page);
  await page.goto("/admin/users");
  expect(await sidewaysScrolling(page)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("users-375.png"), fullPage: true });

  const accounts = page.getByRole("list", { name: "Users" });
  const mine = accounts
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { name: E2E.admin.username, exact: true }) });
  await expect(mine).toHaveCount(1);
  const roles = mine.getByRole("definition").filter({ hasText: "superuser" });
  await expect(roles).toBeVisible();
  expect(await rightEdge(roles)).toBeLessThanOrEqual(PHONE.width);

  // Manage, by keyboard: its rights are on screen once it is open.
  const manage = mine.getByText("Manage", { exact: true });
  await manage.focus();
  await page.keyboard.press("Enter");
  const rights = mine.getByRole("group", { name: `Rights of ${E2E.admin.username}` });
  await expect(rights).toBeVisible();
  expect(await rightEdge(rights)).toBeLessThanOrEqual(PHONE.width);
  await expect(rights.getByRole("checkbox", { name: "Can sign in (active)" })).toBeVisible();
  expect(await sidewaysScrolling(page)).toEqual([]);
  await mine.screenshot({ path: testInfo.outputPath("users-manage-375.png") });

  // One set of rows for assistive technology: the wide table is hidden on a phone.
  await expect(page.getByRole("table", { name: "Users" })).toBeHidden();
});

test("at 1440 px the Users table shows every column, Manage open included, without scrolling sideways", async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAsAdmin(page);
  await page.goto("/admin/users");
  await expect(page.getByRole("table", { name: "Users" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Users" })).toBeHidden();
  expect(await sidewaysScrolling(page)).toEqual([]);

  const mine = page.getByTestId("user-row").filter({ hasText: E2E.admin.username });
  await mine.getByText("Manage", { exact: true }).click();
  await expect(mine.getByRole("group", { name: `Rights of ${E2E.admin.username}` })).toBeVisible();
  expect(await sidewaysScrolling(page)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("users-manage-1440.png"), fullPage: true });
});
