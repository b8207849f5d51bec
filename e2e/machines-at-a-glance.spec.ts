// A lab manager reads the Machines page on a laptop and moves through it by keyboard: each
// reading says how old it is, and a table that fits the screen is not one more Tab stop.
import { expect, test } from "@playwright/test";

import { signInAsAdmin } from "./support/helpers";

test("each machine's reading says how old it is, or that there is none", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAsAdmin(page);
  await page.goto("/admin/machines");
  const readings = page.getByTestId("machine-row").locator("td:nth-child(5)");
  await expect(readings).toHaveCount(12);
  for (const text of await readings.allInnerTexts()) {
    // "4.213 K / 5 months ago (2026-07-01 10:00 UTC)" or "No reading / Not answering · never read".
    expect(text).toMatch(/^(\d+\.\d{3} K\s+\d+ \w+ ago \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)|No reading\s+.*never read)$/);
  }
  // The demo data has machines that did not answer: they say so.
  await expect(readings.filter({ hasText: "Not answering" }).first()).toBeVisible();
});

test("a table is a Tab stop only while it scrolls sideways", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAsAdmin(page);
  await page.goto("/admin/machines");
  const table = page.getByRole("region", { name: "Machines" });
  await expect(table).toBeVisible();
  // It fits at 1440 px: Tab goes past it.
  await expect(table).not.toHaveAttribute("tabindex");

  // Narrowed (a smaller window, a zoomed page), it scrolls: now the keyboard can reach it and scroll it.
  await table.evaluate((box) => (box.style.width = "400px"));
  await expect(table).toHaveAttribute("tabindex", "0");
  await table.focus();
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => table.evaluate((box) => box.scrollLeft)).toBeGreaterThan(0);

  await table.evaluate((box) => (box.style.width = ""));
  await expect(table).not.toHaveAttribute("tabindex");
});
