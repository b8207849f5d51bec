// The app on PostgreSQL, through the browser: `npm start` migrated a fresh database, loaded the
// demo data and made the staff account; staff signs in, opens Manage Storage and exports the
// complete database, and the file is a whole backup of what the database holds.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

import { expect, test } from "@playwright/test";

import { E2E } from "../support/env";
import { signIn } from "../support/helpers";
import { postgresCounts } from "../support/postgres-counts";
import { E2E_POSTGRES } from "../support/postgres-env";

test.skip(!E2E_POSTGRES.serverUrl, "no PostgreSQL: run TEST_POSTGRES_URL=$(scripts/pg-test-cluster.sh start) …");

test("staff exports the complete database from Manage Storage on PostgreSQL", async ({ page }, testInfo) => {
  await signIn(page, E2E.admin.username, E2E.admin.password);
  // The first sign-in of a fresh server (a 1.5 M-iteration hash) can take a while on a busy machine.
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 30_000 });
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Manage Storage" }).click();
  await expect(page.getByRole("heading", { name: "Manage Storage" })).toBeVisible();
  // The archive's own exports and Clear archive work on PostgreSQL too (clear-archive-on-postgresql.spec.ts).
  await expect(page.getByRole("button", { name: "Clear archive…" })).toBeVisible();

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export Complete Database" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^database_backup_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.json$/);
  const file = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(file);

  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  expect(doc.integrity.complete).toBe(true);
  const counts = Object.fromEntries(Object.entries(doc.models).map(([label, rows]) => [label, (rows as []).length]));
  const inDatabase = await postgresCounts();
  expect(counts).toEqual(inDatabase);
  // npm start loaded the demo data (500 queue entries) into the empty database.
  expect(inDatabase["calendarEditor.QueueEntry"]).toBe(500);
  const verify = spawnSync("node", ["scripts/cli.mjs", "verify-backup", file], { encoding: "utf8" });
  expect(verify.stdout).toContain("OK: the backup is whole and restorable.");
  expect(verify.status).toBe(0);
  await expect(page.getByTestId("download-done")).toContainText(download.suggestedFilename());
});
