// A lab manager moves through the console on a phone and on a wide screen: no page, and no
// table inside one, scrolls sideways. Each page's screenshot is kept with the test's results.
import { expect, test } from "@playwright/test";

import { signInAsAdmin } from "./support/helpers";
import { sidewaysScrolling } from "./support/layout";

const PAGES = {
  overview: "/admin",
  machines: "/admin/machines",
  queue: "/admin/queue?status=any",
  users: "/admin/users",
  storage: "/admin/storage",
};

for (const width of [375, 1440]) {
  test(`sign-in and every admin page fit ${width} px without sideways scrolling`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/signin");
    expect(await sidewaysScrolling(page), "/signin").toEqual([]);
    await signInAsAdmin(page);
    for (const [name, path] of Object.entries(PAGES)) {
      await page.goto(path);
      await expect(page.getByRole("main")).toBeVisible();
      expect(await sidewaysScrolling(page), path).toEqual([]);
      await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
    }
  });
}
