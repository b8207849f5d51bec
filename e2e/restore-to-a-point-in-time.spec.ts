// A lab manager brings the data back as it was at a chosen second, from the continuous replica:
// a server of its own (npm start with BACKUP_REPLICA_URL, the real Litestream binary) beside
// the shared e2e server, since that one runs without a replica.
import fs from "node:fs";
import path from "node:path";

import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";

import { startApp, type RunningApp } from "../tests/support/app-server";
import { E2E } from "./support/env";
import { confirmRestore, expectSignedIn, signIn } from "./support/helpers";

const dir = path.resolve(".tmp/e2e-replica");
const database = path.join(dir, "db.sqlite3");
const admin = { username: "replica-admin", password: "replica-admin-password" };
const port = Number(E2E.port) + 7;
let app: RunningApp;
test.use({ baseURL: `http://localhost:${port}` });

const notifications = () => {
  const db = new Database(database, { readonly: true });
  try {
    return db.prepare("SELECT COUNT(*) FROM calendarEditor_notification").pluck().get() as number;
  } finally {
    db.close();
  }
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.beforeAll(async () => {
  test.setTimeout(300_000);
  fs.rmSync(dir, { recursive: true, force: true });
  app = await startApp(
    {
      DATABASE_URL: `file:${database}`,
      DATA_DIR: path.join(dir, "data"),
      BACKUP_REPLICA_URL: `file://${path.join(dir, "replica")}`,
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

test("a lab manager restores the data as it was at a chosen second from the continuous replica", async ({ page }) => {
  test.setTimeout(180_000);
  await pause(2500);
  const before = notifications();
  // The moment to go back to (whole seconds, UTC), then every notification is lost.
  const moment = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
  await pause(moment.getTime() - Date.now() + 1500);
  const db = new Database(database);
  db.prepare("DELETE FROM calendarEditor_notification").run();
  db.close();
  expect(notifications()).toBe(0);
  await pause(2500);

  await signIn(page, admin.username, admin.password);
  await expectSignedIn(page);
  await page.goto("/admin/storage");
  const card = page.getByTestId("replica-card");
  await expect(card.getByTestId("replica-state")).toContainText("replicating");
  await expect(card.getByTestId("replica-lag")).toContainText("every change is in the replica");
  await card.getByLabel("Date and time (UTC)").fill(moment.toISOString().slice(0, 19));
  await card.getByRole("button", { name: "Check this moment…" }).click();

  const report = page.getByTestId("dry-run-report");
  await expect(report).toBeVisible({ timeout: 60_000 });
  await expect(report).toContainText(`replica at ${moment.toISOString().slice(0, 19).replace("T", " ")} UTC`);
  // Silent: the restore's notices to staff would add to the notifications counted below.
  await page.getByLabel(/Silent restore/).check();
  const outcome = await confirmRestore(page);
  await expect(outcome).toBeVisible();
  expect(notifications()).toBe(before);
});
