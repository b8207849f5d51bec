// Faults: the process killed (SIGKILL) in the middle of a restore or an export, and a disk
// that fills up (simulated with a file-size limit, `ulimit -f`) during a restore or snapshot.
// Each must leave the database exactly as it was and the app usable.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { lockPath, readMaintenance } from "@/lib/backup/maintenance";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { openSqlite, withSqlite } from "@/lib/db/sqlite";
import { startApp } from "@/tests/support/app-server";
import { exportFile } from "@/tests/support/backup";
import { contentHash, seededDatabase, tableCounts, tempDir } from "@/tests/support/db";
import { testKey } from "@/tests/support/keys";

const KEY = testKey("faults");

interface Cli {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  kill(): void;
  /** Resolves once the CLI's output (stdout and stderr) matches. */
  waitFor(pattern: RegExp): Promise<void>;
}

/** A project CLI as users run it (scripts/cli.mjs runs it in its own process), so SIGKILL hits the worker. */
function cli(script: string, args: string[], env: Record<string, string> = {}, limitKiB?: number): Cli {
  const command = ["node", "scripts/cli.mjs", script, ...args].map((a) => `'${a}'`).join(" ");
  // Ignoring SIGXFSZ turns "file too large" into an EFBIG write error, as a full disk would.
  const shell = limitKiB ? `trap '' XFSZ; ulimit -f ${limitKiB}; exec ${command}` : `exec ${command}`;
  const child = spawn("bash", ["-c", shell], { env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) if (w.pattern.test(stdout + stderr)) w.resolve();
  };
  child.stdout.on("data", (d) => ((stdout += d), check()));
  child.stderr.on("data", (d) => ((stderr += d), check()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    exited,
    kill: () => child.kill("SIGKILL"),
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ pattern, resolve });
        check();
        void exited.then(() => reject(new Error(`exited before ${pattern}:\n${stdout}\n${stderr}`)));
      }),
  };
}

function dbEnv(db: string): Record<string, string> {
  return { DATABASE_URL: `file:${db}`, DATA_DIR: process.env.DATA_DIR! };
}

describe("SIGKILL in the middle of the work", () => {
  it("a killed restore leaves the pre-restore data; the app starts out of maintenance; the restore then succeeds", async () => {
    const backup = await exportFile(seededDatabase(8000, { activate: false, seed: 2 }));
    const db = seededDatabase(8000);
    const before = contentHash(db);

    const restore = cli("restore", [backup, "--yes"], dbEnv(db));
    await restore.waitFor(/loading records \.{3}/);
    restore.kill();
    expect((await restore.exited).signal).toBe("SIGKILL");

    expect(fs.existsSync(lockPath()), "the dead process's lock file is still there").toBe(true);
    expect(contentHash(db)).toBe(before);
    expect(readMaintenance()).toBeNull();

    const app = await startApp({ ...dbEnv(db), BACKUP_API_KEY: KEY }, 3222);
    try {
      const res = await fetch(`${app.url}/schedule/api/backup/database/`, {
        headers: { Authorization: `Bearer ${KEY}` },
      });
      expect(res.status, "not in maintenance").toBe(200);
      await res.arrayBuffer();
    } finally {
      await app.stop();
    }

    const again = await restoreBackup({ file: backup, actor: "tester", source: "cli" });
    expect(again.ok, again.ok ? "" : again.error).toBe(true);
    if (again.ok)
      for (const m of again.models.filter((m) => !m.label.endsWith("Notification")))
        expect(m.after, m.label).toBe(m.inBackup);
  });

  it("a killed export leaves only a .partial file, which verify rejects", async () => {
    const db = seededDatabase(8000);
    const out = path.join(tempDir("labq-killed-export-"), "backup.json");
    const exporter = cli("backup", ["--out", out], dbEnv(db));
    const deadline = Date.now() + 60_000;
    while (!(fs.existsSync(`${out}.partial`) && fs.statSync(`${out}.partial`).size > 1_000_000)) {
      if (Date.now() > deadline) throw new Error("the export never started writing");
      await new Promise((r) => setTimeout(r, 5));
    }
    exporter.kill();
    await exporter.exited;
    expect(fs.existsSync(out)).toBe(false);
    const report = await verifyBackupFile(`${out}.partial`);
    expect(report.ok).toBe(false);
    expect(report.problems.join(" ")).toMatch(/truncated|incomplete|ends/i);
  });
});

describe("a full disk", () => {
  /** Half-written snapshots in the data folder. */
  function leftoverFiles(): string[] {
    return fs
      .readdirSync(process.env.DATA_DIR!, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".partial"));
  }

  function databaseKiB(db: string): number {
    withSqlite((sqlite) => sqlite.pragma("wal_checkpoint(TRUNCATE)"), db);
    return Math.ceil(fs.statSync(db).size / 1024);
  }

  it("a restore whose data does not fit on the disk rolls back and changes nothing", async () => {
    const backup = await exportFile(seededDatabase(1800, { activate: false, seed: 3 }));
    const db = seededDatabase(600);
    const before = contentHash(db);
    // Room for a tenth of the database: the transaction's log fills up long before the commit.
    const run = await cli("restore", [backup, "--yes"], dbEnv(db), Math.floor(databaseKiB(db) / 10)).exited;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/The restore was rolled back \(.+\); the database is exactly as it was\./);
    expect(contentHash(db)).toBe(before);
    expect(leftoverFiles()).toEqual([]);
  });

  it("a restore whose safety snapshot does not fit fails cleanly and changes nothing", async () => {
    // A small backup (its records fit) over a large database (its snapshot does not).
    const backup = await exportFile(seededDatabase(100, { activate: false, seed: 3 }));
    const db = seededDatabase(1800);
    const before = contentHash(db);
    const run = await cli("restore", [backup, "--yes"], dbEnv(db), Math.floor(databaseKiB(db) / 2)).exited;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/safety snapshot could not be taken .*nothing was changed/);
    expect(contentHash(db)).toBe(before);
    expect(leftoverFiles()).toEqual([]);
  });

  it("a restore that runs out of space near the end of its load rolls back and changes nothing", async () => {
    // Room for most of the restored data in the transaction's log, not for all of it with its indexes.
    const source = seededDatabase(1800, { activate: false, seed: 4 });
    const backup = await exportFile(source);
    const db = seededDatabase(600);
    const before = contentHash(db);
    const counts = tableCounts(db);
    const run = await cli("restore", [backup, "--yes"], dbEnv(db), Math.ceil(databaseKiB(source) * 0.95)).exited;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/rolled back .*exactly as it was/);
    expect(contentHash(db)).toBe(before);
    expect(tableCounts(db)).toEqual(counts);
    expect(leftoverFiles()).toEqual([]);
  });

  it("a snapshot that does not fit fails with a message, leaves no file and the database intact", async () => {
    const db = seededDatabase(600);
    const out = path.join(tempDir("labq-full-"), "snapshot.sqlite3");
    const before = contentHash(db);
    const run = await cli("backup", ["--sqlite", "--out", out], dbEnv(db), Math.floor(databaseKiB(db) / 2)).exited;
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^Error: .+/m);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
    expect(contentHash(db)).toBe(before);
  });
});

describe("another writer", () => {
  // Five seconds of SQLite's busy wait (twice: the restore, then its History line): kept out of
  // the unit suite, which mutation runs repeat for every change.
  it("holding the database past the wait: the restore stops, saying so, and changes nothing", async () => {
    const file = await exportFile(seededDatabase(20, { activate: false }));
    const db = seededDatabase(20, { seed: 2 });
    const before = contentHash(db);
    const writer = openSqlite(db);
    writer.exec("BEGIN IMMEDIATE");
    try {
      const result = await restoreBackup({ file, actor: "tester", source: "cli" });
      expect(result).toMatchObject({
        ok: false,
        stage: "load",
        error: "The restore was rolled back (database is locked); the database is exactly as it was.",
      });
    } finally {
      writer.exec("ROLLBACK");
      writer.close();
    }
    expect(contentHash(db)).toBe(before);
    expect(readMaintenance()).toBeNull();
  });
});
