import { spawnSync } from "node:child_process";

import { expect, test, type Page } from "@playwright/test";

import { signIn } from "../support/helpers";

function backupCounts(): Record<string, number> {
  const file = process.env.DRILL_BACKUP;
  if (!file) throw new Error("DRILL_BACKUP is not set: run this through scripts/restore-drill.sh");
  const verify = spawnSync("node", ["scripts/cli.mjs", "verify-backup", "--json", file], { encoding: "utf8" });
  const report = JSON.parse(verify.stdout) as { ok: boolean; counts: Record<string, number> };
  expect(report.ok, "the drill's backup verifies").toBe(true);
  return report.counts;
}

async function shownCount(page: Page, model: string): Promise<number> {
  const cell = page.getByTestId(`count-${model}`).getByRole("cell").last();
  return Number((await cell.textContent())!.replaceAll(",", ""));
}

test("the restored backup serves: sign in, counts equal the backup's, machines and queue are listed", async ({
  page,
}) => {
  const counts = backupCounts();
  await signIn(page, process.env.DRILL_USERNAME!, process.env.DRILL_PASSWORD!);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

  expect(await shownCount(page, "Machine")).toBe(counts["calendarEditor.Machine"]);
  expect(await shownCount(page, "QueuePreset")).toBe(counts["calendarEditor.QueuePreset"]);
  expect(await shownCount(page, "QueueEntry")).toBe(counts["calendarEditor.QueueEntry"]);
  expect(await shownCount(page, "ArchivedMeasurement")).toBe(counts["calendarEditor.ArchivedMeasurement"]);
  // The drill adds its own staff account (with profile and preferences) and the restore's notices.
  expect(await shownCount(page, "User")).toBe(counts["auth.User"]! + 1);
  expect(await shownCount(page, "NotificationPreference")).toBe(counts["calendarEditor.NotificationPreference"]! + 1);
  expect(await shownCount(page, "Notification")).toBeGreaterThanOrEqual(counts["calendarEditor.Notification"]!);

  await page.goto("/admin/machines");
  await expect(page.getByTestId("machine-row")).toHaveCount(Math.min(50, counts["calendarEditor.Machine"]!));
  if (counts["calendarEditor.QueueEntry"]! > 0) {
    await page.goto("/admin/queue?status=any");
    await expect(page.getByTestId("queue-row").first()).toBeVisible();
  }
});
