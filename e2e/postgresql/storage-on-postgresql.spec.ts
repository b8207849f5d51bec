// The app on PostgreSQL, through the browser: `npm start` migrated a fresh database, loaded the
// demo data and made the staff account; staff signs in, opens Manage Storage and exports the
// complete database, and the file is a whole backup of what the database holds.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

import { expect, test } from "@playwright/test";
import pg from "pg";

import { E2E } from "../support/env";
import { signIn } from "../support/helpers";
import { E2E_POSTGRES } from "../support/postgres-env";

test.skip(!E2E_POSTGRES.serverUrl, "no PostgreSQL: run TEST_POSTGRES_URL=$(scripts/pg-test-cluster.sh start) …");

/** Each backed-up model's table (an oracle of its own: the spec does not load the app's schema code). */
const TABLES: Record<string, string> = {
  "auth.User": "auth_user",
  "userRegistration.UserProfile": "userRegistration_userprofile",
  "calendarEditor.Machine": "calendarEditor_machine",
  "calendarEditor.QueuePreset": "calendarEditor_queuepreset",
  "calendarEditor.QueueEntry": "calendarEditor_queueentry",
  "calendarEditor.ArchivedMeasurement": "calendarEditor_archivedmeasurement",
  "calendarEditor.NotificationPreference": "calendarEditor_notificationpreference",
  "calendarEditor.Notification": "calendarEditor_notification",
};

/** Rows per Django label in the server's database, counted directly. */
async function databaseCounts(): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: E2E_POSTGRES.databaseUrl });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const [label, table] of Object.entries(TABLES)) {
      const { rows } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${table}"`);
      counts[label] = Number(rows[0]!.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

test("staff exports the complete database from Manage Storage on PostgreSQL", async ({ page }, testInfo) => {
  await signIn(page, E2E.admin.username, E2E.admin.password);
  // The first sign-in of a fresh server (a 1.5 M-iteration hash) can take a while on a busy machine.
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 30_000 });
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Manage Storage" }).click();
  await expect(page.getByRole("heading", { name: "Manage Storage" })).toBeVisible();
  // The archive's own export and clear read the SQLite file: on PostgreSQL the page says so instead.
  await expect(page.getByTestId("archive-sqlite-only")).toBeVisible();
  await expect(page.getByRole("button", { name: /Clear archive/ })).toHaveCount(0);

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export Complete Database" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^database_backup_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.json$/);
  const file = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(file);

  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  expect(doc.integrity.complete).toBe(true);
  const counts = Object.fromEntries(Object.entries(doc.models).map(([label, rows]) => [label, (rows as []).length]));
  const inDatabase = await databaseCounts();
  expect(counts).toEqual(inDatabase);
  // npm start loaded the demo data (500 queue entries) into the empty database.
  expect(inDatabase["calendarEditor.QueueEntry"]).toBe(500);
  const verify = spawnSync("node", ["scripts/cli.mjs", "verify-backup", file], { encoding: "utf8" });
  expect(verify.stdout).toContain("OK: the backup is whole and restorable.");
  expect(verify.status).toBe(0);
  await expect(page.getByTestId("download-done")).toContainText(download.suggestedFilename());
});
