// A lab manager uploads a SQLite snapshot that is damaged from its first byte (random bytes
// named .sqlite3): the refusal says what the file is not, and that it looks damaged.
import { randomBytes } from "node:crypto";
import fs from "node:fs";

import { expect, test } from "@playwright/test";

import { signInAsAdmin } from "./support/helpers";

test("a .sqlite3 file of random bytes is refused as neither a JSON export nor a SQLite snapshot, damaged", async ({
  page,
}, testInfo) => {
  await signInAsAdmin(page);
  const file = testInfo.outputPath("lab-snapshot.sqlite3");
  // Never "{" or whitespace first: not even the start of a JSON document.
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0x89]), randomBytes(64 * 1024)]));
  await page.goto("/admin/storage");
  await page.getByLabel("Backup file").setInputFiles(file);
  await page.getByRole("button", { name: "Upload and check" }).click();
  const report = page.getByTestId("dry-run-report");
  await expect(report).toBeVisible({ timeout: 30_000 });
  await expect(report).toContainText(
    "This is not a backup this app can read: it is neither a JSON export nor a SQLite snapshot " +
      '(a SQLite file starts with "SQLite format 3").',
  );
  await expect(report).toContainText(
    "Its name (lab-snapshot.sqlite3) says SQLite, but its first bytes are not a SQLite file's: it looks damaged.",
  );
  await expect(report).not.toContainText("JSON object");
  await expect(page.getByRole("button", { name: /this backup…/ })).toHaveCount(0);
  for (const width of [1440, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await report.screenshot({ path: testInfo.outputPath(`damaged-snapshot-${width}.png`) });
  }
});
