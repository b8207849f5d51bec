import fs from "node:fs";

import { expect, test } from "@playwright/test";

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

  const [csv] = await Promise.all([
    page.waitForEvent("download"),
    panel.getByRole("link", { name: "Export as CSV" }).click(),
  ]);
  expect(csv.suggestedFilename()).toMatch(/^archived_measurements_.*\.csv$/);
  const lines = fs
    .readFileSync((await csv.path())!, "utf8")
    .split("\r\n")
    .filter(Boolean);
  expect(lines[0]).toMatch(/^id,username,machine_name,title,/);

  await panel.getByRole("button", { name: "Clear archive…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete ALL archived measurements?" });
  await dialog.getByLabel(/Do not notify/).check();
  await dialog.getByLabel("Type CONFIRM DELETE to confirm").fill("CONFIRM DELETE");
  await dialog.getByRole("button", { name: "Delete them all" }).click();

  const cleared = panel.getByTestId("archive-cleared");
  await expect(cleared).toContainText(
    `Removed ${count.toLocaleString("en-US")} archived measurements; nobody was notified`,
  );
  const [copy] = await Promise.all([page.waitForEvent("download"), cleared.getByRole("link").click()]);
  const records = JSON.parse(fs.readFileSync((await copy.path())!, "utf8")) as unknown[];
  expect(records).toHaveLength(count);
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
});
