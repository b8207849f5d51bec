// Load and hostile uploads against the real server: 50 concurrent API backups while staff
// browse, a restore started in the middle of a burst, and damaged files uploaded for a
// dry run. Timing is reported by bench/load.ts, not asserted here.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAccount } from "@/lib/auth/accounts";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { prisma } from "@/lib/db/prisma";
import { signIn, startApp, type RunningApp } from "@/tests/support/app-server";
import { exportFile, exportText, writeTemp } from "@/tests/support/backup";
import { contentHash, seededDatabase, tempDir } from "@/tests/support/db";
import { testKey } from "@/tests/support/keys";
import { backupMutation } from "@/tests/support/mutations";
import { within } from "@/tests/support/within";

const KEY = testKey("load");
const STAFF = { username: "load-staff", password: "load-staff-password" };
let app: RunningApp;
let db: string;
let cookie: string;

interface Fetched {
  status: number;
  retryAfter: string | null;
  body: string;
}

async function backupOnce(): Promise<Fetched> {
  const res = await fetch(`${app.url}/schedule/api/backup/database/`, { headers: { Authorization: `Bearer ${KEY}` } });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.text() };
}

async function page(p: string): Promise<number> {
  const res = await fetch(`${app.url}${p}`, { headers: { Cookie: cookie }, redirect: "manual" });
  await res.arrayBuffer();
  return res.status;
}

/** The records digest of a served backup, after checking the whole body verifies. */
async function verifiedDigest(body: string): Promise<string> {
  const file = writeTemp(body);
  const report = await verifyBackupFile(file);
  expect(report.ok, report.problems.join("; ")).toBe(true);
  fs.rmSync(file);
  return (JSON.parse(body) as { integrity: { records_sha256: string } }).integrity.records_sha256;
}

beforeAll(async () => {
  db = seededDatabase(1000);
  await createAccount({ ...STAFF, staff: true });
  await prisma().$disconnect();
  app = await startApp(
    {
      DATABASE_URL: `file:${db}`,
      DATA_DIR: process.env.DATA_DIR!,
      BACKUP_API_KEY: KEY,
      BACKUP_API_MAX_FAILURES: "1000",
    },
    3223,
  );
  cookie = (await signIn(app.url, STAFF.username, STAFF.password))!.cookie;
});

afterAll(async () => {
  await app?.stop();
});

describe("damaged uploads", () => {
  it("the server answers every damaged file with a dry-run report, keeps serving, and changes nothing", async () => {
    const valid = await exportText(seededDatabase(20, { activate: false, seed: 8 }));
    const before = contentHash(db);
    const dir = tempDir("labq-uploads-");
    await fc.assert(
      fc.asyncProperty(backupMutation, async (mutation) => {
        const body = mutation.apply(valid);
        fs.writeFileSync(path.join(dir, "last.json"), body);
        const res = await fetch(`${app.url}/admin/storage/upload`, {
          method: "POST",
          headers: { Cookie: cookie, Origin: app.url },
          body: new Uint8Array(body),
        });
        expect(res.status, mutation.describe).toBe(200);
        const dryRun = (await res.json()) as { report: { ok: boolean; problems: string[] } };
        if (!dryRun.report.ok) expect(dryRun.report.problems.length, mutation.describe).toBeGreaterThan(0);
      }),
      { numRuns: 40 },
    );
    expect(await page("/admin")).toBe(200);
    expect(contentHash(db)).toBe(before);
  });
});

describe("under load", () => {
  it("50 concurrent API backups while staff browse all succeed with identical records", async () => {
    const backups = Array.from({ length: 50 }, backupOnce);
    const pages = Array.from({ length: 20 }, (_, i) =>
      page(["/admin", "/admin/queue", "/admin/machines", "/admin/users"][i % 4]!),
    );
    const [served, pageStatuses] = await Promise.all([Promise.all(backups), Promise.all(pages)]);
    expect(served.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(pageStatuses).toEqual(Array(20).fill(200));
    const digests = new Set<string>();
    for (const r of served) digests.add(await verifiedDigest(r.body));
    expect(digests.size).toBe(1);
  });

  it("clients that give up before their backup is ready hold no export slot: the next backup is served", async () => {
    // Measured before the fix: after either burst all four slots stayed taken until a restart.
    for (const giveUpAfterMs of [20, 50]) {
      const impatient = Array.from({ length: 30 }, () =>
        fetch(`${app.url}/schedule/api/backup/database/`, {
          headers: { Authorization: `Bearer ${KEY}` },
          signal: AbortSignal.timeout(giveUpAfterMs),
        }).then(
          (res) => res.body?.cancel(),
          () => undefined,
        ),
      );
      await Promise.all(impatient);
      const next = await within(20_000, backupOnce(), `a backup after 30 clients gave up at ${giveUpAfterMs} ms`);
      expect(next.status).toBe(200);
      await verifiedDigest(next.body);
    }
  });

  it("a restore started during a burst either runs or is refused cleanly; no request meets a locked database", async () => {
    const backup = await exportFile(seededDatabase(1000, { activate: false, seed: 6 }));
    const oldDigest = (JSON.parse(await exportText(db)) as { integrity: { records_sha256: string } }).integrity
      .records_sha256;
    const burst = Array.from(
      { length: 30 },
      (_, i) => new Promise<Fetched>((r) => setTimeout(() => void backupOnce().then(r), i * 20)),
    );
    const restore = new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn("node", ["scripts/cli.mjs", "restore", backup, "--yes"], {
        env: { ...process.env, DATABASE_URL: `file:${db}` },
      });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      child.on("close", (code) => resolve({ code, output }));
    });
    const pages = Array.from(
      { length: 10 },
      (_, i) => new Promise<number>((r) => setTimeout(() => void page("/admin").then(r), i * 50)),
    );
    const [served, restored, pageStatuses] = await Promise.all([Promise.all(burst), restore, Promise.all(pages)]);

    expect(restored.code, restored.output).toBe(0);
    expect(pageStatuses.every((s) => s === 200 || s === 307)).toBe(true);
    const newDigest = (JSON.parse(await exportText(db)) as { integrity: { records_sha256: string } }).integrity
      .records_sha256;
    for (const r of served) {
      expect(r.body).not.toMatch(/locked/i);
      if (r.status === 503) {
        expect(r.retryAfter).toBeTruthy();
        continue;
      }
      expect(r.status).toBe(200);
      // Each is a whole backup of one side of the restore, never a mix.
      expect([oldDigest, newDigest]).toContain(await verifiedDigest(r.body));
    }
    expect(app.output()).not.toMatch(/database is locked|SQLITE_BUSY/i);
  });
});
