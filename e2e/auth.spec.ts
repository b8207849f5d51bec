import { expect, test } from "@playwright/test";

import { expectedCounts } from "../lib/seed/generate";
import { E2E } from "./support/env";
import { createUser, expectSignedIn, signIn, signInAsAdmin } from "./support/helpers";

test("a signed-out visitor is sent to sign-in", async ({ page }) => {
  await page.goto("/admin/machines");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await expect(page.getByRole("heading", { name: "Lab Queue Admin" })).toBeVisible();
});

test("a wrong password shows an error and stays on sign-in", async ({ page }) => {
  await signIn(page, "e2e-admin", "not-the-password");
  await expect(page.getByRole("alert").filter({ hasText: "Wrong username or password" })).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
});

test("an empty field is named, and the form is not sent", async ({ page }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Type your username." })).toBeVisible();
  await expect(page.getByLabel("Username")).toBeFocused();
  await page.getByLabel("Username").fill(E2E.admin.username);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Type your password." })).toBeVisible();
  await expect(page.getByLabel("Password")).toBeFocused();
});

test("an address the app does not have says so, with the way back", async ({ page }) => {
  const response = await page.goto("/admin/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Go to the overview" }).click();
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
});

test("staff sign-in reaches the overview with the seeded counts", async ({ page }) => {
  await signInAsAdmin(page);
  const demo = expectedCounts(500);
  await expect(page.getByTestId("count-QueueEntry")).toContainText(
    demo["calendarEditor.QueueEntry"]!.toLocaleString("en-US"),
  );
  await expect(page.getByTestId("count-Notification")).toContainText(
    demo["calendarEditor.Notification"]!.toLocaleString("en-US"),
  );
  await expect(page.getByTestId("count-Machine")).toContainText("12");
  await page.getByRole("link", { name: "Machines" }).click();
  await expect(page.getByTestId("machine-row")).toHaveCount(12);
  await page.getByRole("link", { name: "Queue" }).click();
  await expect(page.getByTestId("queue-row").first()).toBeVisible();
  await page.getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("cell", { name: "e2e-admin" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/signin/);
});

test("signing out on the server's other address stays on that address", async ({ page }) => {
  // NEXTAUTH_URL is unset, so next-auth takes the server to be http://localhost:PORT; the lab
  // reaches it by another name (here 127.0.0.1), which signing out must not leave.
  const other = new URL(E2E.baseUrl);
  other.hostname = "127.0.0.1";
  await page.goto(new URL("/signin", other).href);
  await page.getByLabel("Username").fill(E2E.admin.username);
  await page.getByLabel("Password").fill(E2E.admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expectSignedIn(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(new URL("/signin", other).href);
  await page.goto(new URL("/admin", other).href);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
});

test("a signed-in non-staff user is denied", async ({ page }) => {
  createUser("researcher", "measure-all-the-things");
  await signIn(page, "researcher", "measure-all-the-things");
  await expect(page.getByRole("heading", { name: "No access" })).toBeVisible();
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/no-access/);
  await expect(page.getByText("e2e-admin")).toHaveCount(0);
});
