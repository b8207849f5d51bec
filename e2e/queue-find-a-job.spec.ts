// A lab manager looks for a job in the queue: each says how long it has waited, and a search
// that finds nothing offers the way back to every entry.
import { expect, test } from "@playwright/test";

import { signInAsAdmin } from "./support/helpers";

test("a search that finds nothing offers every entry, and each entry says how long ago it was submitted", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAsAdmin(page);
  await page.goto("/admin/queue");
  await page.getByRole("searchbox", { name: "Title or user" }).fill("no-such-measurement-anywhere");
  await page.getByRole("button", { name: "Show" }).click();
  const table = page.getByRole("region", { name: "Queue entries" });
  await expect(table.getByText("No queue entries match.")).toBeVisible();
  await table.getByRole("link", { name: "Show every queue entry" }).click();
  await expect(page).toHaveURL(/status=any/);
  const rows = page.getByTestId("queue-row");
  await expect(rows.first()).toBeVisible();
  // "2025-01-10 16:00 UTC" and beneath it "23 months ago".
  await expect(rows.first().locator("td").last()).toHaveText(/\d{4}-\d\d-\d\d \d\d:\d\d UTC\s*(\d+ \w+ ago|just now)/);
  // Every entry listed: nothing left to offer.
  await expect(page.getByRole("link", { name: "Show every queue entry" })).toHaveCount(0);
});
