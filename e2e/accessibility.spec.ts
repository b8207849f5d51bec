import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

import { signInAsAdmin } from "./support/helpers";

const ADMIN_PAGES = ["/admin", "/admin/machines", "/admin/queue", "/admin/users", "/admin/storage"];
const WIDTHS = [1440, 375];

/** Serious and critical axe violations on the page as it is now, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    );
}

for (const width of WIDTHS) {
  test(`the sign-in page has no serious accessibility violations at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/signin");
    expect(await seriousViolations(page)).toEqual([]);
  });

  test(`every admin page has no serious accessibility violations at ${width} px`, async ({ page }) => {
    // Five axe runs of 5-15 s each on a loaded 2-core machine; a list page holds its table and
    // its cards (one of them hidden), so the default minute was too close.
    test.setTimeout(150_000);
    await page.setViewportSize({ width, height: 900 });
    await signInAsAdmin(page);
    for (const path of ADMIN_PAGES) {
      await page.goto(path);
      await expect(page.getByRole("main")).toBeVisible();
      expect(await seriousViolations(page), path).toEqual([]);
    }
  });
}

test("the dry run of a real backup and the confirm dialog have no serious accessibility violations", async ({
  page,
}) => {
  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  await page
    .getByLabel("Backup file")
    .setInputFiles("tests/fixtures/django-real/database_backup_2026-02-12_07-32-28.json");
  await page.getByRole("button", { name: "Upload and check" }).click();
  await expect(page.getByTestId("dry-run-report")).toBeVisible({ timeout: 30_000 });
  await page.getByTestId("dry-run-notes").locator("summary").click();
  expect(await seriousViolations(page), "dry run").toEqual([]);
  await page.getByRole("button", { name: "Restore this backup…" }).click();
  await expect(page.getByRole("dialog", { name: "Replace ALL current data?" })).toBeVisible();
  expect(await seriousViolations(page), "confirm dialog").toEqual([]);
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Discard" }).click();
});
