import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { gunzipSync } from "node:zlib";

import { expect, test } from "@playwright/test";

import { E2E } from "./support/env";
import { signInAsAdmin } from "./support/helpers";

const sha256Of = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

test("staff exports the complete database and the file verifies", async ({ page }, testInfo) => {
  await signInAsAdmin(page);
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Manage Storage" }).click();
  await expect(page.getByRole("heading", { name: "Manage Storage" })).toBeVisible();
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export Complete Database" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^database_backup_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.json$/);
  const file = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(file);
  const verify = spawnSync("node", ["scripts/cli.mjs", "verify-backup", file], { encoding: "utf8" });
  expect(verify.stdout).toContain("OK: the backup is whole and restorable.");
  expect(verify.status).toBe(0);

  // The page says what was downloaded, with the file's own SHA-256, and History updates in place.
  const done = page.getByTestId("download-done");
  await expect(done).toContainText(download.suggestedFilename());
  await expect(done).toContainText(sha256Of(file));
  await expect(page.getByTestId("history-row").first()).toContainText("export");
  await expect(page.getByTestId("history-row").first()).toContainText(E2E.admin.username);
});

test("staff downloads a SQLite snapshot that passes sqlite3's integrity check", async ({ page }, testInfo) => {
  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download SQLite snapshot" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^database_snapshot_.*\.sqlite3$/);
  const file = testInfo.outputPath("snapshot.sqlite3");
  await download.saveAs(file);
  await expect(page.getByTestId("download-done")).toContainText(sha256Of(file));
  expect(execFileSync("sqlite3", [file, "PRAGMA integrity_check;"], { encoding: "utf8" }).trim()).toBe("ok");
  expect(
    Number(execFileSync("sqlite3", [file, "SELECT COUNT(*) FROM calendarEditor_machine;"], { encoding: "utf8" })),
  ).toBe(12);
});

test.describe("backup API on the real server", () => {
  const path = "/schedule/api/backup/database/";

  test("serves the export at the exact path with a trailing slash, without a redirect", async ({ request }) => {
    const res = await request.get(path, {
      headers: { Authorization: `Bearer ${E2E.backupApiKey}`, "Accept-Encoding": "identity" },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(200);
    expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename=database_backup_/);
    const doc = JSON.parse(await res.text());
    expect(doc.integrity.complete).toBe(true);
    expect(Object.keys(doc.models)).toHaveLength(8);
  });

  test("gzips the export for a client that accepts gzip", async ({ request }) => {
    const res = await request.get(path, {
      headers: { Authorization: `Bearer ${E2E.backupApiKey}`, "Accept-Encoding": "gzip" },
      maxRedirects: 0,
    });
    expect(res.headers()["content-encoding"]).toBe("gzip");
    // Playwright may or may not have decoded the body already; either way it must be the backup.
    const body = await res.body();
    const doc = JSON.parse((body[0] === 0x1f ? gunzipSync(body) : body).toString("utf8"));
    expect(doc.integrity.complete).toBe(true);
  });

  test("serves the .json.gz file the workflows fetch, untouched by the server's own compression", async ({
    request,
  }) => {
    const res = await request.get(`${path}?format=json.gz`, {
      headers: { Authorization: `Bearer ${E2E.backupApiKey}`, "Accept-Encoding": "gzip" },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("application/gzip");
    expect(res.headers()["content-encoding"]).toBeUndefined();
    expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename=database_backup_.*\.json\.gz$/);
    // Gzipped once: unpacking it once gives the backup.
    const doc = JSON.parse(gunzipSync(await res.body()).toString("utf8"));
    expect(doc.integrity.complete).toBe(true);
  });

  test("refuses a missing key with 401 and a wrong one with 403", async ({ request }) => {
    const none = await request.get(path, { maxRedirects: 0 });
    expect(none.status()).toBe(401);
    expect(none.headers()["www-authenticate"]).toMatch(/^Bearer/);
    const wrong = await request.get(path, { headers: { Authorization: "Bearer not-the-key" }, maxRedirects: 0 });
    expect(wrong.status()).toBe(403);
  });

  test("refuses the staff export routes to a signed-out client", async ({ request }) => {
    expect((await request.get("/admin/storage/export", { maxRedirects: 0 })).status()).toBe(401);
    expect((await request.get("/admin/storage/snapshot", { maxRedirects: 0 })).status()).toBe(401);
  });
});
