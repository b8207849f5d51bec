import { expect, test, type APIRequestContext } from "@playwright/test";
import Database from "better-sqlite3";

import { E2E } from "./support/env";
import { signInAsAdmin } from "./support/helpers";

const DAY_MS = 86_400_000;

/** Moves every off-site backup (a confirmed store) recorded in the history to `daysAgo` days ago. */
function backdateOffsiteBackups(daysAgo: number) {
  const db = new Database(E2E.databaseFile);
  const when = new Date(Date.now() - daysAgo * DAY_MS).toISOString().replace("Z", "+00:00");
  db.prepare("UPDATE backup_event SET started_at = ? WHERE kind = 'push'").run(when);
  db.close();
}

function forgetOffsiteBackups() {
  const db = new Database(E2E.databaseFile);
  db.prepare("DELETE FROM backup_event WHERE kind = 'push'").run();
  db.close();
}

/** What the weekly workflow posts once its copy is on the branch. */
function reportStored(request: APIRequestContext) {
  const name = `database_backup_${new Date().toISOString().slice(0, 19).replace("T", "_").replaceAll(":", "-")}.json.gz`;
  return request.post("/schedule/api/backup/stored/", {
    headers: { Authorization: `Bearer ${E2E.backupApiKey}` },
    data: { name, bytes: 2048, sha256: "0".repeat(64), target: "github.com/lab/queue (database-backups)" },
  });
}

test("the banner warns on every admin page until an off-site backup is taken, and again once it is overdue", async ({
  page,
  request,
}) => {
  forgetOffsiteBackups();
  await signInAsAdmin(page);
  const banner = page.getByTestId("offsite-banner");
  await expect(banner).toContainText("No off-site backup yet");
  await expect(banner).toHaveAttribute("data-level", "red");
  await page.goto("/admin/machines");
  await expect(banner).toContainText("No off-site backup yet");

  // The weekly job fetches the export with the key: not yet an off-site backup.
  const fetched = await request.get("/schedule/api/backup/database/", {
    headers: { Authorization: `Bearer ${E2E.backupApiKey}` },
  });
  expect(fetched.status()).toBe(200);
  await page.goto("/admin/storage");
  await expect(banner).toContainText("No off-site backup yet");
  // It stored the copy and says so: that is.
  expect((await reportStored(request)).status()).toBe(201);
  await page.goto("/admin/storage");
  await expect(banner).toHaveCount(0);
  const panel = page.getByTestId("offsite-panel");
  await expect(panel.getByTestId("last-offsite-backup")).toContainText("just now");
  await expect(panel.getByTestId("last-offsite-backup")).toContainText("on time");

  backdateOffsiteBackups(10);
  await page.goto("/admin/users");
  await expect(banner).toContainText("Off-site backup overdue: the last one was taken 10 days ago");
  await expect(banner).toContainText("at least every 8 days");
  await expect(banner).toHaveAttribute("data-level", "amber");
  await banner.getByRole("link", { name: "See Off-site backups" }).click();
  await expect(page.getByTestId("last-offsite-backup")).toContainText("10 days ago");
  await expect(page.getByTestId("last-offsite-backup")).toContainText("overdue");

  backdateOffsiteBackups(20);
  await page.goto("/admin");
  await expect(banner).toHaveAttribute("data-level", "red");

  // Leave the server as the other specs expect it: a fresh off-site backup, no banner.
  forgetOffsiteBackups();
  await reportStored(request);
});
