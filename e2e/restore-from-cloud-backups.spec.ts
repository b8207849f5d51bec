import fs from "node:fs";
import { gunzipSync } from "node:zlib";

import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";

import { E2E } from "./support/env";
import { cliOn, confirmRestore, entityRow, signInAsAdmin } from "./support/helpers";

const MONTH = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

test("a lab manager finds the pushed backups by month, downloads one, and restores one after the dry run", async ({
  page,
}) => {
  // Two pushes to the S3 store with the real CLI: an older one, then today's data.
  const push = (date: string) => cliOn(E2E.databaseFile, "backup-push", ["--date", date], E2E.s3.env);
  push("2026-10-04T00:00:00Z");
  const now = new Date();
  expect(push(now.toISOString())).toMatch(/Uploaded database_backup_.*\.json\.gz/);

  // Then five notifications are lost.
  const db = new Database(E2E.databaseFile);
  const gone = db.prepare("SELECT id FROM calendarEditor_notification ORDER BY id DESC LIMIT 5").all().length;
  db.prepare(
    "DELETE FROM calendarEditor_notification WHERE id IN (SELECT id FROM calendarEditor_notification ORDER BY id DESC LIMIT 5)",
  ).run();
  db.close();
  expect(gone).toBe(5);

  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  const card = page.getByTestId("cloud-backups");
  await expect(card.getByRole("heading", { name: MONTH.format(now) })).toBeVisible();
  await expect(card.getByRole("heading", { name: "October 2026" })).toBeVisible();
  const newest = card.getByTestId("cloud-backup").first();
  // Pushed with its SHA-256, not yet fetched back here: nothing has compared its bytes yet.
  await expect(newest).toContainText("not checked yet");
  await expect(newest).toContainText("S3");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    newest.getByRole("link", { name: /^Download database_backup_/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^database_backup_.*\.json\.gz$/);
  const doc = JSON.parse(gunzipSync(fs.readFileSync((await download.path())!)).toString("utf8")) as {
    models: Record<string, unknown[]>;
  };
  expect(doc.models["calendarEditor.Notification"]!.length).toBeGreaterThan(5);

  await newest.getByRole("button", { name: /^Restore this… database_backup_/ }).click();
  const report = page.getByTestId("dry-run-report");
  await expect(report).toBeVisible({ timeout: 30_000 });
  const row = entityRow(report, "Notifications");
  await expect(row).toContainText("+5");

  // Silent, so the restore adds no notices of its own and the count is the file's.
  await page.getByLabel(/Silent restore/).check();
  await confirmRestore(page);
  const check = new Database(E2E.databaseFile, { readonly: true });
  const count = (check.prepare("SELECT COUNT(*) AS n FROM calendarEditor_notification").get() as { n: number }).n;
  check.close();
  expect(count).toBe(doc.models["calendarEditor.Notification"]!.length);

  // Fetched for the restore, its bytes matched the SHA-256 recorded at push time.
  await page.goto("/admin/storage");
  await expect(card.getByTestId("cloud-backup").first()).toContainText("verified");
});
