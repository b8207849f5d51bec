// The in-app schedule, in the real built app: with BACKUP_PUSH_EVERY shortened to seconds it
// pushes on its cadence, waits while a restore holds the maintenance lock, and a failed push
// shows on Manage Storage.
import fs from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAccount } from "@/lib/auth/accounts";
import { prisma } from "@/lib/db/prisma";
import { openSqlite } from "@/lib/db/sqlite";
import { signIn, startApp, type RunningApp } from "@/tests/support/app-server";
import { seededDatabase, tempDir } from "@/tests/support/db";
import { startS3, type RunningS3 } from "@/tests/support/s3";

const STAFF = { username: "schedule-staff", password: "schedule-staff-password" };
let app: RunningApp;
let s3: RunningS3;
let db: string;
let dataDir: string;

function pushes(): { result: string; detail: string }[] {
  const sqlite = openSqlite(db, { readonly: true });
  const rows = sqlite.prepare("SELECT result, detail FROM backup_event WHERE kind = 'push' ORDER BY id").all();
  sqlite.close();
  return rows as { result: string; detail: string }[];
}

async function waitFor(condition: () => boolean, seconds: number, what: string) {
  const deadline = Date.now() + seconds * 1000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}:\n${app.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  s3 = await startS3();
  db = seededDatabase(20);
  await createAccount({ ...STAFF, staff: true });
  await prisma().$disconnect();
  dataDir = path.join(tempDir("labq-schedule-"), "data");
  app = await startApp(
    { DATABASE_URL: `file:${db}`, DATA_DIR: dataDir, BACKUP_PUSH_EVERY: "2s", ...s3.env("scheduled") },
    3223,
  );
});
afterAll(async () => {
  await app?.stop();
  await s3?.stop();
});

describe("in-app push schedule", () => {
  it("pushes on its cadence, each push recorded in the history", async () => {
    expect(app.output()).toMatch(/Backups are pushed to s3:\/\/lab-backups every 2 s/);
    await waitFor(() => pushes().filter((p) => p.result === "ok").length >= 2, 60, "two scheduled pushes");
    expect(pushes()[0]!.detail).toMatch(/records to s3:\/\/lab-backups\/scheduled as database_backup_.*\.json\.gz/);
  });

  it("waits while a restore holds the maintenance lock, then goes on", async () => {
    // A live process (this test) holds the lock, as a restore in the CLI or the app would.
    fs.writeFileSync(
      path.join(dataDir, "maintenance.lock.json"),
      JSON.stringify({
        pid: process.pid,
        operation: "restore",
        actor: "test",
        startedAt: new Date().toISOString(),
        phase: "loading",
        progress: 0.5,
      }),
    );
    await new Promise((r) => setTimeout(r, 2500)); // let a push already under way finish
    const during = pushes().length;
    await new Promise((r) => setTimeout(r, 6000));
    expect(pushes().length).toBe(during);
    expect(app.output()).toMatch(/a restore is running; trying again/);
    fs.rmSync(path.join(dataDir, "maintenance.lock.json"));
    await waitFor(() => pushes().length > during, 30, "a push after the restore");
  });

  it("a failed push is in the history and on Manage Storage", async () => {
    s3.cutAfter(0);
    const before = pushes().length;
    await waitFor(
      () =>
        pushes()
          .slice(before)
          .some((p) => p.result === "failed"),
      60,
      "a failed push",
    );
    const session = (await signIn(app.url, STAFF.username, STAFF.password))!;
    const html = await (await fetch(`${app.url}/admin/storage`, { headers: { Cookie: session.cookie } })).text();
    expect(html).toContain("Last push to cloud");
    expect(html).toMatch(/could not be reached/);
    s3.heal();
  });
});
