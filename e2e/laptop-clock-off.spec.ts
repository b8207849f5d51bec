// A lab manager whose laptop clock is off (or whose page finishes loading a minute after the
// server drew it) opens Manage Storage: the ages the server wrote ("just now") are kept, the
// page is not rebuilt in the browser, and a file chosen for restore stays chosen. CI once saw a
// chosen file vanish when a snapshot's "just now" became "2 minutes ago" during a slow page load.
import fs from "node:fs";

import { expect, test } from "@playwright/test";

import { currentBackup } from "./support/backups";
import { confirmRestore, signInAsAdmin, uploadForDryRun } from "./support/helpers";

const THREE_HOURS_MS = 3 * 60 * 60 * 1000;

test("a laptop clock three hours ahead keeps the page as the server drew it, and the chosen file", async ({
  page,
}, testInfo) => {
  await signInAsAdmin(page);
  // A restore leaves a safety snapshot taken "just now", so the page has an age to disagree on.
  const file = testInfo.outputPath("lab-now.json");
  fs.writeFileSync(file, JSON.stringify(await currentBackup(page)));
  await uploadForDryRun(page, file);
  await page.getByLabel(/Silent restore/).check();
  await confirmRestore(page);

  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.clock.install({ time: Date.now() + THREE_HOURS_MS });
  await page.goto("/admin/storage");
  await page.waitForLoadState("load");

  const taken = page.getByTestId("safety-snapshot").first().getByTestId("safety-snapshot-taken");
  await expect(taken).toContainText("just now");
  // React rebuilds a page whose text differs from the server's (error #418, "hydration"): give it
  // the time to happen, then check it did not.
  await page.waitForTimeout(1_000);
  await expect(taken).toContainText("just now");
  expect(errors.filter((e) => /hydrat|#418|#425/i.test(e))).toEqual([]);

  const input = page.getByLabel("Backup file");
  await input.setInputFiles(file);
  await page.waitForTimeout(500);
  await expect(input).toHaveValue(/lab-now[.]json$/);
});
