// A lab manager uploads a backup of the data the database already holds and ticks Merge: the
// merge would add nothing, so it is not offered, and the reason stands beside the button.
import fs from "node:fs";

import { expect, test } from "@playwright/test";

import { currentBackup } from "./support/backups";
import { signInAsAdmin, uploadForDryRun } from "./support/helpers";

test("a merge of a backup whose every record is already here is not offered, and says why", async ({
  page,
}, testInfo) => {
  await signInAsAdmin(page);
  const file = testInfo.outputPath("todays-data.json");
  fs.writeFileSync(file, JSON.stringify(await currentBackup(page)));
  await uploadForDryRun(page, file);

  const button = page.getByRole("button", { name: "Merge this backup…" });
  await page.getByLabel(/^Merge:/).check();
  await expect(page.getByTestId("merge-summary")).toHaveText(
    /^Adds nothing: all [\d,]+ records of this file are already here, so a merge would change nothing\.$/,
  );
  await expect(button).toBeDisabled();
  await expect(button).toHaveAccessibleDescription("Nothing to add: every record of this file is already here.");
  const panel = page.locator("section[aria-labelledby='restore-heading']");
  for (const width of [1440, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await panel.screenshot({ path: testInfo.outputPath(`merge-nothing-to-add-${width}.png`) });
  }

  // A full restore of the same file stays possible: it is a different choice.
  await page.getByLabel(/^Merge:/).uncheck();
  await expect(page.getByRole("button", { name: "Restore this backup…" })).toBeEnabled();
});
