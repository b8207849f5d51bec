import { execFileSync } from "node:child_process";
import path from "node:path";

import { expect, type Locator, type Page } from "@playwright/test";

import { E2E } from "./env";

export async function signIn(page: Page, username: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signInAsAdmin(page: Page) {
  await signIn(page, E2E.admin.username, E2E.admin.password);
  await expectSignedIn(page);
}

/** Waits for the Overview a sign-in leads to. */
export async function expectSignedIn(page: Page) {
  // A sign-in (a 1.5 M-iteration hash, the first render of a fresh server) took over 5 s at
  // load average 17.
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 30_000 });
}

/** Creates an account in the e2e database through the real CLI. */
export function createUser(username: string, password: string, flags: string[] = []) {
  execFileSync("node", ["scripts/cli.mjs", "create-user", "--username", username, ...flags], {
    env: { ...process.env, ...E2E.serverEnv, USER_PASSWORD: password },
    stdio: "pipe",
  });
}

/** Runs one of the project's CLIs against another database file (not the e2e server's). */
export function cliOn(databaseFile: string, script: string, args: string[], extraEnv: Record<string, string> = {}) {
  return execFileSync("node", ["scripts/cli.mjs", script, ...args], {
    env: { ...process.env, DATABASE_URL: `file:${databaseFile}`, DATA_DIR: `${databaseFile}.data`, ...extraEnv },
    encoding: "utf8",
    stdio: "pipe",
  });
}

/** Uploads a backup on Manage Storage and waits for its dry run. */
export async function uploadForDryRun(page: Page, file: string) {
  // The input must hold the file before the click (CI once saw "Choose a backup file first." after
  // a file was set on a page still settling, on a machine at full load).
  await page.goto("/admin/storage");
  const input = page.getByLabel("Backup file");
  await input.setInputFiles(file);
  await expect(input).toHaveValue(new RegExp(`${path.basename(file).replace(/[.]/g, "[.]")}$`));
  await page.getByRole("button", { name: "Upload and check" }).click();
  await expect(page.getByTestId("dry-run-report")).toBeVisible({ timeout: 30_000 });
}

/** Confirms the dry run's restore (replace all data, typed RESTORE) and waits for its report. */
export async function confirmRestore(page: Page) {
  await page.getByRole("button", { name: "Restore this backup…" }).click();
  const dialog = page.getByRole("dialog", { name: "Replace ALL current data?" });
  await dialog.getByLabel("Type RESTORE to confirm").fill("RESTORE");
  await dialog.getByRole("button", { name: "Replace all data" }).click();
  const outcome = page.getByTestId("restore-report");
  await expect(outcome).toBeVisible({ timeout: 60_000 });
  return outcome;
}

/** Rolls back to the newest safety snapshot through its preview and typed confirmation, and waits for the report. */
export async function rollBackToNewestSnapshot(page: Page) {
  await page.goto("/admin/storage");
  await page
    .getByTestId("safety-snapshot")
    .first()
    .getByRole("button", { name: /^Roll back to this…/ })
    .click();
  await expect(page.getByTestId("rollback-preview").getByTestId("dry-run-report")).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Roll back to this snapshot…" }).click();
  const dialog = page.getByRole("dialog", { name: "Roll back ALL data to this snapshot?" });
  await dialog.getByLabel("Type RESTORE to confirm").fill("RESTORE");
  await dialog.getByRole("button", { name: "Roll back" }).click();
  const outcome = page.getByTestId("restore-report");
  await expect(outcome.getByRole("heading", { name: /Roll back complete/ })).toBeVisible({ timeout: 60_000 });
  return outcome;
}

/** The row of a table in `scope` about one entity, by the one name pages give it ("Notifications"). */
export function entityRow(scope: Locator, name: string) {
  return scope.getByRole("row").filter({ has: scope.page().getByRole("rowheader", { name, exact: true }) });
}
