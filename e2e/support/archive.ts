// The archive card's two flows, shared by the SQLite and PostgreSQL specs.
import fs from "node:fs";

import { expect, type Download, type Locator, type Page } from "@playwright/test";

/** Downloads "Export as CSV" and returns its non-empty lines, after checking its name and header. */
export async function archiveCsvLines(page: Page, panel: Locator): Promise<string[]> {
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
  return lines;
}

/** Clears the archive without notifying anyone (typed confirmation) and downloads the copy it took first. */
export async function clearArchiveSilently(
  page: Page,
  panel: Locator,
  count: number,
): Promise<{ copy: Download; records: { model: string }[] }> {
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
  const records = JSON.parse(fs.readFileSync((await copy.path())!, "utf8")) as { model: string }[];
  expect(records).toHaveLength(count);
  return { copy, records };
}
