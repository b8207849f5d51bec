// A lab manager opens Manage Storage on a server where no off-site backup is set up yet: no
// backup key (the export answers 503 "not configured"), no cloud storage, no replica. Each card
// says what is missing and who does what, instead of advice that assumes a running set-up.
// A server of its own (npm start without those settings) beside the shared e2e server.
import fs from "node:fs";
import path from "node:path";

import { expect, test, type Locator, type Page } from "@playwright/test";

import { startApp, type RunningApp } from "../tests/support/app-server";
import { E2E } from "./support/env";
import { expectSignedIn, signIn } from "./support/helpers";

const dir = path.resolve(".tmp/e2e-nothing-set-up");
const admin = { username: "bare-admin", password: "bare-admin-password" };
const port = Number(E2E.port) + 9;
let app: RunningApp;
test.use({ baseURL: `http://localhost:${port}` });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  fs.rmSync(dir, { recursive: true, force: true });
  app = await startApp(
    {
      DATABASE_URL: `file:${path.join(dir, "db.sqlite3")}`,
      DATA_DIR: path.join(dir, "data"),
      INITIAL_ADMIN_USERNAME: admin.username,
      INITIAL_ADMIN_PASSWORD: admin.password,
      NEXTAUTH_URL: `http://localhost:${port}`,
    },
    port,
  );
});
test.afterAll(async () => {
  await app?.stop();
});

async function shoot(page: Page, card: Locator, name: string) {
  for (const width of [1440, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await card.screenshot({ path: test.info().outputPath(`${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

test("with no backup key, cloud storage or replica, each card says what is missing and who sets it up", async ({
  page,
  request,
}) => {
  // What the weekly job meets: the export is not configured.
  const fetched = await request.get("/schedule/api/backup/database/", {
    headers: { Authorization: `Bearer ${"k".repeat(44)}` },
  });
  expect(fetched.status()).toBe(503);

  await signIn(page, admin.username, admin.password);
  await expectSignedIn(page);
  await page.goto("/admin/storage");

  const offsite = page.getByTestId("offsite-panel");
  const advice = offsite.getByTestId("offsite-advice");
  await expect(advice).toContainText("The first step is missing: this server has no backup key yet.");
  await expect(advice).toContainText("Without it, the job cannot fetch anything");
  await expect(advice).toContainText("ask whoever runs the server to set the setting BACKUP_API_KEY");
  await expect(advice).toContainText("docs/operations.md in the app's source code");
  // Not the advice for a set-up whose job failed: there is no run to check and no key to compare.
  await expect(offsite).not.toContainText("Check that its last run succeeded");
  await shoot(page, offsite, "offsite-no-key");

  const replica = page.getByTestId("replica-not-configured");
  await expect(replica).toContainText("Continuous replication is not set up.");
  await expect(replica).toContainText("ask whoever runs the server to set the setting BACKUP_REPLICA_URL");
  await expect(replica).toContainText("“Continuous replica” in docs/operations.md in the app's source code");
  await shoot(page, page.getByTestId("replica-card"), "replica-not-set-up");

  const cloud = page.getByTestId("cloud-not-configured");
  await expect(cloud).toContainText("No cloud storage is set up on this server");
  await expect(cloud).toContainText("ask whoever runs the server to set these settings");
  await expect(cloud).toContainText("BACKUP_S3_URL=s3://bucket/prefix");
  await expect(cloud).toContainText("GITHUB_REPO=owner/name");
  await expect(cloud).toContainText("“Object storage” in docs/operations.md in the app's source code");
  await shoot(page, page.getByTestId("cloud-backups"), "cloud-not-set-up");

  for (const width of [1440, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: test.info().outputPath(`storage-nothing-set-up-${width}.png`), fullPage: true });
  }
});
