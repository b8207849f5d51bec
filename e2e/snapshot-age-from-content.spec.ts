// A SQLite snapshot's age comes from what is inside it, not from its file time: an old
// database copied today says how old its newest change is; our own snapshot says when it was
// taken, even with a file time years off.
import { execFileSync } from "node:child_process";
import fs from "node:fs";

import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";

import { E2E } from "./support/env";
import { cliOn, signInAsAdmin, uploadForDryRun } from "./support/helpers";

const DAY = 86_400_000;

/** A seeded database whose every recorded time is years old but one change 12 days ago, copied by sqlite3 today. */
function oldDatabaseCopiedToday(dir: string, newest: Date): string {
  const db = `${dir}/old-lab.sqlite3`;
  fs.rmSync(db, { force: true });
  cliOn(db, "seed", ["--scale", "40", "--seed", "3"]);
  const sqlite = new Database(db);
  try {
    const tables = sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '\\_%' ESCAPE '\\'",
      )
      .pluck()
      .all() as string[];
    for (const table of tables) {
      const columns = (sqlite.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[])
        .filter((c) => c.type.toUpperCase() === "DATETIME")
        .map((c) => c.name);
      for (const column of columns)
        sqlite
          .prepare(`UPDATE "${table}" SET "${column}" = '2021-02-03T04:05:06.000+00:00' WHERE "${column}" IS NOT NULL`)
          .run();
    }
    sqlite
      .prepare(
        "UPDATE calendarEditor_notification SET created_at = ? WHERE id = (SELECT MAX(id) FROM calendarEditor_notification)",
      )
      .run(newest.toISOString().replace("Z", "+00:00"));
  } finally {
    sqlite.close();
  }
  const copy = `${dir}/old-lab-copy.sqlite3`;
  fs.rmSync(copy, { force: true });
  execFileSync("sqlite3", [db, `.backup '${copy}'`]);
  return copy;
}

test.beforeEach(async ({ page }) => {
  await signInAsAdmin(page);
});

test("an old snapshot uploaded today shows the age of its newest change, not 'just now'", async ({ page }) => {
  const newest = new Date(Date.now() - 12 * DAY);
  const file = oldDatabaseCopiedToday(E2E.dir, newest);
  const now = new Date();
  fs.utimesSync(file, now, now);

  await uploadForDryRun(page, file);
  const facts = page.getByTestId("dry-run-report");
  await expect(facts.getByText("Newest change in this file", { exact: true })).toBeVisible();
  const age = page.getByTestId("dry-run-age");
  await expect(age).toContainText(`${newest.toISOString().slice(0, 16).replace("T", " ")} UTC`);
  await expect(age).toContainText("12 days ago");
  await expect(page.getByTestId("dry-run-summary")).toContainText("The newest change in this file is 12 days ago.");
  await expect(age).not.toContainText("just now");
});

test("our own snapshot says when it was taken, whatever its file time", async ({ page }, testInfo) => {
  await page.goto("/admin/storage");
  const started = Date.now();
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: /SQLite snapshot/ }).click();
  const download = await downloading;
  const file = testInfo.outputPath("snapshot.sqlite3");
  await download.saveAs(file);
  // A file time years in the past (restored from an old disk, say) changes nothing.
  fs.utimesSync(file, new Date("2020-01-01T00:00:00Z"), new Date("2020-01-01T00:00:00Z"));

  await uploadForDryRun(page, file);
  await expect(page.getByTestId("dry-run-report").getByText("Snapshot taken", { exact: true })).toBeVisible();
  const age = page.getByTestId("dry-run-age");
  await expect(age).toContainText("just now");
  const shown = (await age.textContent())!.match(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/)![0];
  expect(Math.abs(new Date(`${shown.replace(" ", "T")}:00Z`).getTime() - started)).toBeLessThan(2 * 60_000);
});
