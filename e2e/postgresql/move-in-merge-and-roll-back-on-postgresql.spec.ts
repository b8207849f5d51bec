// A lab moving in from the original app, on PostgreSQL, through Manage Storage: staff restores
// a real backup of the original Django app (dry run, typed confirmation, outcome), merges the
// lab's older real backup into it, then rolls back to the safety snapshot taken before the
// restore. After each step the records in the PostgreSQL database are counted directly and
// compared with the files and with what the page reported.
import fs from "node:fs";
import path from "node:path";

import { expect, test, type Locator, type Page } from "@playwright/test";

import { E2E } from "../support/env";
import { entityRow, signIn, uploadForDryRun } from "../support/helpers";
import { postgresCounts, TABLES } from "../support/postgres-counts";
import { E2E_POSTGRES } from "../support/postgres-env";

test.skip(!E2E_POSTGRES.serverUrl, "no PostgreSQL: run TEST_POSTGRES_URL=$(scripts/pg-test-cluster.sh start) …");

const LATEST = path.resolve("tests/fixtures/django-real/database_backup_2026-05-20_09-56-51.json");
const EARLIEST = path.resolve("tests/fixtures/django-real/database_backup_2026-02-12_07-32-28.json");

/** Records per Django label in a backup file. */
function fileCounts(file: string): Record<string, number> {
  const doc = JSON.parse(fs.readFileSync(file, "utf8")) as { models: Record<string, unknown[]> };
  return Object.fromEntries(Object.keys(TABLES).map((label) => [label, doc.models[label]?.length ?? 0]));
}

/** Each entity's one name on the page, by label (lib/backup/format/labels.ts says the same). */
const NAMES: Record<string, string> = {
  "auth.User": "Users",
  "userRegistration.UserProfile": "User profiles",
  "calendarEditor.Machine": "Machines",
  "calendarEditor.QueuePreset": "Queue presets",
  "calendarEditor.QueueEntry": "Queue entries",
  "calendarEditor.ArchivedMeasurement": "Archived measurements",
  "calendarEditor.NotificationPreference": "Notification preferences",
  "calendarEditor.Notification": "Notifications",
};

/** A figures table's numbers per label: the row's cells, in column order. */
async function figures(scope: Locator): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [label, name] of Object.entries(NAMES)) {
    const cells = await entityRow(scope, name).locator("td").allTextContents();
    out[label] = cells.map((t) => Number(t.replace(/[^\d-]/g, "")));
  }
  return out;
}

/** The column of a figures table, per label. */
const column = (table: Record<string, number[]>, index: number) =>
  Object.fromEntries(Object.entries(table).map(([label, cells]) => [label, cells.at(index)!]));

async function signInAsAdmin(page: Page) {
  await signIn(page, E2E.admin.username, E2E.admin.password);
  // The first sign-in of a fresh server (a 1.5 M-iteration hash) can take a while on a busy machine.
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 30_000 });
}

test("staff restores the original app's backup on PostgreSQL, merges an older one, and rolls back to before both", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await signInAsAdmin(page);
  const before = await postgresCounts();

  // 1. Restore the latest real backup: dry run, typed confirmation, outcome.
  await uploadForDryRun(page, LATEST);
  const report = page.getByTestId("dry-run-report");
  await expect(report).toContainText("Made bythe original Django app");
  await expect(page.getByText("The file is whole and restorable.")).toBeVisible();
  const latest = fileCounts(LATEST);
  // In the file, and now in the database: the dry run changed nothing.
  const dryRun = await figures(report);
  expect(column(dryRun, 0)).toEqual(latest);
  expect(column(dryRun, 1)).toEqual(before);
  expect(await postgresCounts()).toEqual(before);
  await page.getByLabel(/Silent restore/).check();
  await page.getByRole("button", { name: "Restore this backup…" }).click();
  const confirm = page.getByRole("dialog", { name: "Replace ALL current data?" });
  await confirm.getByLabel("Type RESTORE to confirm").fill("RESTORE");
  await confirm.getByRole("button", { name: "Replace all data" }).click();
  const restored = page.getByTestId("restore-report");
  await expect(restored.getByRole("heading", { name: /Restore complete/ })).toBeVisible({ timeout: 60_000 });
  await expect(restored).toContainText("No staff were notified.");
  const afterRestore = await postgresCounts();
  // Every record of the file, and the signed-in admin's account kept ("Keep my account", on by
  // default) with its profile and notification preferences.
  expect(afterRestore).toEqual({
    ...latest,
    "auth.User": latest["auth.User"]! + 1,
    "userRegistration.UserProfile": latest["userRegistration.UserProfile"]! + 1,
    "calendarEditor.NotificationPreference": latest["calendarEditor.NotificationPreference"]! + 1,
  });
  expect(column(await figures(restored), -1)).toEqual(afterRestore);

  // 2. Merge the lab's earliest backup: only what the latest lacks is added.
  await uploadForDryRun(page, EARLIEST);
  await page.getByLabel(/^Merge:/).check();
  await expect(page.getByTestId("merge-summary")).toContainText("nothing that exists changes");
  await page.getByRole("button", { name: "Merge this backup…" }).click();
  const mergeDialog = page.getByRole("dialog", { name: "Add the backup's new records?" });
  await mergeDialog.getByLabel("Type RESTORE to confirm").fill("RESTORE");
  await mergeDialog.getByRole("button", { name: "Add new records" }).click();
  const merged = page.getByTestId("restore-report");
  await expect(merged.getByRole("heading", { name: /Merge complete/ })).toBeVisible({ timeout: 60_000 });
  const mergeFigures = await figures(merged);
  // Before, in backup, added, under a new id, already here, links added, after.
  expect(column(mergeFigures, 0)).toEqual(afterRestore);
  expect(column(mergeFigures, 1)).toEqual(fileCounts(EARLIEST));
  const afterMerge = await postgresCounts();
  const notified = Number((await merged.textContent())!.match(/([\d,]+) “database restored” notices? went/)?.[1] ?? 0);
  expect(afterMerge).toEqual({
    ...column(mergeFigures, -1),
    "calendarEditor.Notification": column(mergeFigures, -1)["calendarEditor.Notification"]! + notified,
  });
  for (const label of Object.keys(TABLES)) {
    const [, , added, underNewId] = mergeFigures[label]!;
    expect(column(mergeFigures, -1)[label]).toBe(afterRestore[label]! + added! + underNewId!);
  }
  expect(Object.values(column(mergeFigures, 2)).reduce((n, a) => n + a, 0)).toBeGreaterThan(0);
  await merged.screenshot({ path: testInfo.outputPath("merge-outcome-1440.png") });

  // 3. Roll back to the safety snapshot taken before the restore: the lab's data from before both.
  await page.goto("/admin/storage");
  const snapshot = page
    .getByTestId("safety-snapshot")
    .filter({ hasText: "Before migration from the original app: restoring database_backup_2026-05-20_09-56-51.json" });
  await expect(snapshot).toHaveCount(1);
  await snapshot.getByRole("button", { name: /^Roll back to this…/ }).click();
  await expect(page.getByTestId("rollback-preview").getByTestId("dry-run-report")).toBeVisible({ timeout: 30_000 });
  expect(await postgresCounts()).toEqual(afterMerge);
  await page.getByRole("button", { name: "Roll back to this snapshot…" }).click();
  const rollback = page.getByRole("dialog", { name: "Roll back ALL data to this snapshot?" });
  await rollback.getByLabel("Type RESTORE to confirm").fill("RESTORE");
  await rollback.getByRole("button", { name: "Roll back" }).click();
  const rolledBack = page.getByTestId("restore-report");
  await expect(rolledBack.getByRole("heading", { name: /Roll back complete/ })).toBeVisible({ timeout: 60_000 });
  const rollbackNotified = Number(
    (await rolledBack.textContent())!.match(/([\d,]+) “database restored” notices? went/)?.[1] ?? 0,
  );
  expect(await postgresCounts()).toEqual({
    ...before,
    "calendarEditor.Notification": before["calendarEditor.Notification"]! + rollbackNotified,
  });
  expect(column(await figures(rolledBack), -1)).toEqual(before);
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await rolledBack.screenshot({ path: testInfo.outputPath("rollback-outcome-375.png") });
});
