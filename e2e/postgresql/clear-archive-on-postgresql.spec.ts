// The archive card on PostgreSQL: staff exports the archived measurements as CSV, then clears
// them, and the copy taken first holds every one that the database held.
import fs from "node:fs";

import { expect, test } from "@playwright/test";

import { E2E } from "../support/env";
import { signIn } from "../support/helpers";
import { postgresCounts } from "../support/postgres-counts";
import { E2E_POSTGRES } from "../support/postgres-env";

test.skip(!E2E_POSTGRES.serverUrl, "no PostgreSQL: run TEST_POSTGRES_URL=$(scripts/pg-test-cluster.sh start) …");

const ARCHIVED = "calendarEditor.ArchivedMeasurement";

test("staff exports the archive as CSV, then clears it and downloads the copy taken first, on PostgreSQL", async ({
  page,
}, testInfo) => {
  await signIn(page, E2E.admin.username, E2E.admin.password);
  // The first sign-in of a fresh server (a 1.5 M-iteration hash) can take a while on a busy machine.
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible({ timeout: 30_000 });
  await page.goto("/admin/storage");
  const count = (await postgresCounts())[ARCHIVED]!;
  expect(count).toBeGreaterThan(0);
  const panel = page.getByTestId("archive-panel");
  await expect(panel.getByTestId("archive-count")).toContainText(`${count.toLocaleString("en-US")} archived`);

  const [csv] = await Promise.all([
    page.waitForEvent("download"),
    panel.getByRole("link", { name: "Export as CSV" }).click(),
  ]);
  expect(csv.suggestedFilename()).toMatch(/^archived_measurements_.*\.csv$/);
  const lines = fs
    .readFileSync((await csv.path())!, "utf8")
    .split("\r\n")
    .filter(Boolean);
  expect(lines[0]).toMatch(/^id,username,machine_name,title,/);
  expect(lines).toHaveLength(count + 1);

  await panel.getByRole("button", { name: "Clear archive…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete ALL archived measurements?" });
  await dialog.getByLabel(/Do not notify/).check();
  await dialog.getByLabel("Type CONFIRM DELETE to confirm").fill("CONFIRM DELETE");
  await dialog.getByRole("button", { name: "Delete them all" }).click();

  const cleared = panel.getByTestId("archive-cleared");
  await expect(cleared).toContainText(
    `Removed ${count.toLocaleString("en-US")} archived measurements; nobody was notified`,
  );
  expect((await postgresCounts())[ARCHIVED]).toBe(0);
  const [copy] = await Promise.all([page.waitForEvent("download"), cleared.getByRole("link").click()]);
  const records = JSON.parse(fs.readFileSync((await copy.path())!, "utf8")) as { model: string }[];
  expect(records).toHaveLength(count);
  // Records as the backup file holds them (the model name in lower case, as Django writes it).
  expect(new Set(records.map((r) => r.model))).toEqual(new Set(["calendarEditor.archivedmeasurement"]));
  await expect(panel.getByTestId("archive-count")).toContainText("0 archived measurements");
  await expect(page.getByTestId("history-row").first()).toContainText("clear archive");
  await panel.screenshot({ path: testInfo.outputPath("archive-cleared-1440.png") });

  // Later, on a phone: the copy is still listed to download, and the card fits.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.reload();
  await expect(page.getByTestId("archive-copies")).toContainText(copy.suggestedFilename());
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await panel.screenshot({ path: testInfo.outputPath("archive-copies-375.png") });
});
