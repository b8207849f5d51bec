// Backups of another lab's database for the restore specs, made with the real CLIs.
import fs from "node:fs";

import { expect, type Page } from "@playwright/test";

import { E2E } from "./env";
import { cliOn } from "./helpers";

/**
 * A backup of another lab: `scale` queue entries, a staff researcher with a known password,
 * and, unless `withE2eAdmin` is false, an e2e-admin account with the e2e password.
 */
export function otherLabBackup(dir: string, { scale = 200, withE2eAdmin = true } = {}): string {
  const db = `${dir}/other-lab.sqlite3`;
  fs.rmSync(db, { force: true });
  cliOn(db, "seed", ["--scale", String(scale), "--seed", "7"]);
  cliOn(db, "create-user", ["--username", "restored-researcher", "--staff"], { USER_PASSWORD: "kept-after-restore" });
  if (withE2eAdmin) {
    cliOn(db, "create-user", ["--username", E2E.admin.username, "--superuser"], { USER_PASSWORD: E2E.admin.password });
  }
  const out = `${dir}/other-lab-backup.json`;
  cliOn(db, "backup", ["--out", out]);
  return out;
}

export type BackupRecord = { model: string; pk: number; fields: Record<string, unknown> };
export type BackupDocument = { models: Record<string, BackupRecord[]>; integrity?: unknown; format_version?: number };

/** Today's data, as the backup API serves it to automation. */
export async function currentBackup(page: Page): Promise<BackupDocument> {
  const response = await page.request.get("/schedule/api/backup/database/", {
    headers: { Authorization: `Bearer ${E2E.backupApiKey}` },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as BackupDocument;
}

/** Today's data in the original app's format (no digest, no format version), to edit before an upload. */
export async function currentBackupAsOriginalApp(page: Page): Promise<BackupDocument> {
  const doc = await currentBackup(page);
  delete doc.integrity;
  delete doc.format_version;
  return doc;
}
