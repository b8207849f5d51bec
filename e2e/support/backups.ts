// Backups of another lab's database for the restore specs, made with the real CLIs.
import fs from "node:fs";

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
