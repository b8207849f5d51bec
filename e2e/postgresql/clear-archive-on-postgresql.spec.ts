// The archive card on PostgreSQL: staff exports the archived measurements as CSV, then clears
// them, and the copy taken first holds every one that the database held.

import { expect, test } from "@playwright/test";

import { archiveCsvLines, clearArchiveSilently } from "../support/archive";
import { signInAsAdmin } from "../support/helpers";
import { postgresCounts } from "../support/postgres-counts";
import { E2E_POSTGRES } from "../support/postgres-env";

test.skip(!E2E_POSTGRES.serverUrl, "no PostgreSQL: run TEST_POSTGRES_URL=$(scripts/pg-test-cluster.sh start) …");

const ARCHIVED = "calendarEditor.ArchivedMeasurement";

test("staff exports the archive as CSV, then clears it and downloads the copy taken first, on PostgreSQL", async ({
  page,
}, testInfo) => {
  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  const count = (await postgresCounts())[ARCHIVED]!;
  expect(count).toBeGreaterThan(0);
  const panel = page.getByTestId("archive-panel");
  await expect(panel.getByTestId("archive-count")).toContainText(`${count.toLocaleString("en-US")} archived`);

  const lines = await archiveCsvLines(page, panel);
  expect(lines).toHaveLength(count + 1);

  const { copy, records } = await clearArchiveSilently(page, panel, count);
  expect((await postgresCounts())[ARCHIVED]).toBe(0);
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
