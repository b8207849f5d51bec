import fs from "node:fs";

import { expect, test } from "@playwright/test";

import { otherLabBackup } from "./support/backups";
import { E2E } from "./support/env";
import { entityRow, expectSignedIn, signIn, signInAsAdmin, uploadForDryRun } from "./support/helpers";

test.describe.configure({ mode: "serial" });

test("cancelling the confirm dialog changes nothing", async ({ page }, testInfo) => {
  const backup = otherLabBackup(testInfo.outputDir);
  await signInAsAdmin(page);
  const before = await page.getByTestId("count-QueueEntry").textContent();
  await uploadForDryRun(page, backup);
  await page.getByRole("button", { name: "Restore this backup…" }).click();
  const dialog = page.getByRole("dialog", { name: "Replace ALL current data?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Replace all data" })).toBeDisabled();
  await dialog.getByLabel("Type RESTORE to confirm").fill("RESTOR");
  await expect(dialog.getByRole("button", { name: "Replace all data" })).toBeDisabled();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.getByRole("button", { name: "Restore this backup…" }).click();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await page.goto("/admin");
  await expect(page.getByTestId("count-QueueEntry")).toHaveText(before!);
});

test("a bad file shows its problems and cannot be restored", async ({ page }, testInfo) => {
  const broken = testInfo.outputPath("broken.json");
  const good = fs.readFileSync(otherLabBackup(testInfo.outputDir), "utf8");
  fs.writeFileSync(broken, good.slice(0, Math.floor(good.length / 2)));
  await signInAsAdmin(page);
  await uploadForDryRun(page, broken);
  await expect(page.getByRole("alert").filter({ hasText: "cannot be restored" })).toContainText("truncated");
  // A file that cannot be restored offers no restore at all, only Discard.
  await expect(page.getByRole("button", { name: "Restore this backup…" })).toHaveCount(0);
  await expect(page.getByTestId("dry-run-row")).toHaveCount(0);
});

test("an upload above the size limit is refused in the browser and by the server", async ({ page }, testInfo) => {
  await signInAsAdmin(page);
  const before = await page.getByTestId("count-Notification").textContent();
  const big = testInfo.outputPath("too-big.json");
  fs.writeFileSync(big, Buffer.alloc(E2E.maxUploadBytes + 1024, 0x20));
  await page.goto("/admin/storage");
  await page.getByLabel("Backup file").setInputFiles(big);
  await page.getByRole("button", { name: "Upload and check" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "above the 8.0 MiB upload limit" })).toBeVisible();

  const response = await page.request.post("/admin/storage/upload", {
    data: fs.readFileSync(big),
    headers: { Origin: E2E.baseUrl, "Content-Type": "application/octet-stream" },
  });
  expect(response.status()).toBe(413);
  expect((await response.json()).error).toMatch(/upload limit/);
  const crossSite = await page.request.post("/admin/storage/upload", {
    data: "{}",
    headers: { Origin: "https://evil.example" },
  });
  expect(crossSite.status()).toBe(403);
  await page.goto("/admin");
  await expect(page.getByTestId("count-Notification")).toHaveText(before!);
});

test("staff restores an uploaded backup after the dry run, and the restored data is what the app shows", async ({
  page,
}, testInfo) => {
  const backup = otherLabBackup(testInfo.outputDir);
  const expected = JSON.parse(fs.readFileSync(backup, "utf8")) as {
    models: Record<string, { fields: Record<string, unknown> }[]>;
  };
  await signInAsAdmin(page);
  await uploadForDryRun(page, backup);
  const queueRow = entityRow(page.getByTestId("dry-run-report"), "Queue entries");
  await expect(queueRow).toContainText("200");
  await expect(page.getByText("The file is whole and restorable.")).toBeVisible();
  await expect(page.getByTestId("dry-run-sign-in")).toContainText(`Your account (${E2E.admin.username}) is different`);
  await expect(page.getByLabel(/Keep my account/)).toBeChecked();

  await page.getByRole("button", { name: "Restore this backup…" }).click();
  const dialog = page.getByRole("dialog", { name: "Replace ALL current data?" });
  await expect(dialog).toContainText("deletes all current users");
  await dialog.getByLabel("Type RESTORE to confirm").fill("RESTORE");
  await dialog.getByRole("button", { name: "Replace all data" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Restoring" })).toBeVisible();
  const report = page.getByTestId("restore-report");
  await expect(report).toBeVisible({ timeout: 60_000 });
  await expect(entityRow(report, "Queue entries")).toContainText("200");
  // The backup's e2e-admin is another account (other password and id): the dry run said so, and
  // Keep my account (on by default then) kept the one signed in, so the session goes on.
  await expect(report.getByTestId("restore-kept")).toContainText(`Kept ${E2E.admin.username}`);
  await expect(report).not.toContainText("Sign in again");
  await page.goto("/admin");
  await expect(page.getByTestId("count-QueueEntry")).toContainText("200");
  await expect(page.getByTestId("count-User")).toContainText(String(expected.models["auth.User"]!.length));
  await page.goto("/admin/machines");
  const machineNames = expected.models["calendarEditor.Machine"]!.map((m) => String(m.fields.name));
  await expect(page.getByTestId("machine-row")).toHaveCount(machineNames.length);
  for (const name of machineNames.slice(0, 3))
    await expect(page.getByRole("cell", { name, exact: true })).toBeVisible();
  await page.goto("/admin/queue?status=queued");
  await expect(page.getByText(/\d+ queue entries · page 1/)).toBeVisible();
  await page.goto("/admin/users");
  await expect(page.getByRole("cell", { name: "restored-researcher" })).toBeVisible();
  await page.goto("/admin/storage");
  await expect(page.getByTestId("safety-snapshot").first()).toBeVisible();
  await expect(page.getByTestId("history-row").first()).toContainText("restore");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await signIn(page, "restored-researcher", "kept-after-restore");
  await expectSignedIn(page);
});
