// A cloud backup deleted after the page listed it (by retention, or by hand): Download says so
// in the page, in words, instead of answering raw JSON.
import { DeleteObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { expect, test } from "@playwright/test";

import { E2E } from "./support/env";
import { cliOn, signInAsAdmin } from "./support/helpers";

test("downloading a backup that is gone from the store shows a plain message and a fresh list", async ({ page }) => {
  const out = cliOn(E2E.databaseFile, "backup-push", ["--date", "2026-11-03T05:00:00Z"], E2E.s3.env);
  const name = /Uploaded (database_backup_\S+\.json\.gz)/.exec(out)![1]!;

  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  const card = page.getByTestId("cloud-backups");
  const row = card.getByTestId("cloud-backup").filter({ hasText: name });
  await expect(row).toBeVisible();

  // Someone deletes it from the store while the page is open.
  const s3 = new S3Client({
    region: "us-east-1",
    endpoint: E2E.s3.env.BACKUP_S3_ENDPOINT,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  await s3.send(new DeleteObjectCommand({ Bucket: E2E.s3.bucket, Key: `lab/${name}` }));
  s3.destroy();

  let downloaded = false;
  page.on("download", () => (downloaded = true));
  await row.getByRole("link", { name: `Download ${name}` }).click();
  const problem = page.getByTestId("cloud-download-problem");
  await expect(problem).toContainText(`${name} is no longer in the cloud store`);
  await expect(page.getByText('"error"')).toHaveCount(0);
  await expect(card.getByTestId("cloud-backup").filter({ hasText: name })).toHaveCount(0);
  expect(downloaded).toBe(false);
  expect(page.url()).toContain("/admin/storage");
});
