import fs from "node:fs";

import { expect, test } from "@playwright/test";

import { archiveCsvLines, clearArchiveSilently } from "./support/archive";
import { signInAsAdmin } from "./support/helpers";

test("a lab manager exports the archive as CSV, then clears it and downloads the copy taken first", async ({
  page,
}) => {
  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  const panel = page.getByTestId("archive-panel");
  const count = Number(
    (await panel.getByTestId("archive-count").textContent())!.match(/^([\d,]+)/)![1]!.replaceAll(",", ""),
  );
  expect(count).toBeGreaterThan(0);

  await archiveCsvLines(page, panel);

  const { copy } = await clearArchiveSilently(page, panel, count);
  await expect(panel.getByTestId("archive-count")).toContainText("0 archived measurements");
  await expect(page.getByTestId("history-row").first()).toContainText("clear archive");

  // Later, the copy is still there to download, not only named in the History.
  await page.reload();
  const copies = page.getByTestId("archive-copies");
  await expect(copies).toContainText(copy.suggestedFilename());
  const [again] = await Promise.all([
    page.waitForEvent("download"),
    copies.getByRole("link", { name: `Download the copy ${copy.suggestedFilename()}` }).click(),
  ]);
  expect(JSON.parse(fs.readFileSync((await again.path())!, "utf8")) as unknown[]).toHaveLength(count);
  // It holds the lab's data: the download is in the History, under who made it.
  await page.reload();
  const newest = page.getByTestId("history-row").first();
  await expect(newest).toContainText("archive download");
  await expect(newest).toContainText(`Copy of the cleared archive ${copy.suggestedFilename()}`);
});
