// npm run bench:load -- [--scale 1000] [--requests 200] [--concurrency 50]
// Latency percentiles of the backup API and the admin pages under concurrent load, on a
// seeded database served by the real app. Prints figures; asserts nothing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { createAccount } from "@/lib/auth/accounts";
import { cliArgs, runCli } from "@/lib/cli";
import { migrateDatabase } from "@/lib/db/migrate";
import { prisma } from "@/lib/db/prisma";
import { withSqlite } from "@/lib/db/sqlite";
import { seedDemoData } from "@/lib/seed/seed";
import { signIn, startApp } from "@/tests/support/app-server";
import { setEnv } from "@/tests/support/env";
import { testKey } from "@/tests/support/keys";

import { rssSampler } from "./measure";

const KEY = testKey("bench-load");
const ADMIN = { username: "bench-admin", password: "bench-admin-password" };

/** Runs `count` requests, at most `concurrency` at a time; returns each one's milliseconds. */
async function pool(count: number, concurrency: number, request: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      await request(i);
      times.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return times;
}

function percentiles(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(0).padStart(6);
  return `p50 ${at(50)} ms   p90 ${at(90)} ms   p99 ${at(99)} ms   max ${at(100)} ms`;
}

runCli(async () => {
  const { values } = cliArgs({
    scale: { type: "string" },
    requests: { type: "string" },
    concurrency: { type: "string" },
  });
  const scale = Number(values.scale ?? 1000);
  const requests = Number(values.requests ?? 200);
  const concurrency = Number(values.concurrency ?? 50);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "labq-load-"));
  const db = path.join(dir, "db.sqlite3");
  setEnv({ DATABASE_URL: `file:${db}` });
  try {
    migrateDatabase(db);
    withSqlite((sqlite) => seedDemoData(sqlite, scale), db);
    await createAccount({ ...ADMIN, staff: true });
    await prisma().$disconnect();
    const app = await startApp(
      { DATABASE_URL: `file:${db}`, DATA_DIR: path.join(dir, "data"), BACKUP_API_KEY: KEY, SEED_DEMO_DATA: "0" },
      3231,
    );
    try {
      const cookie = (await signIn(app.url, ADMIN.username, ADMIN.password))!.cookie;
      const failures: string[] = [];
      const get = async (url: string, headers: Record<string, string>) => {
        const res = await fetch(url, { headers, redirect: "manual" });
        await res.arrayBuffer();
        if (res.status !== 200) failures.push(`${res.status} ${url}`);
      };
      const pages = ["/admin", "/admin/queue", "/admin/machines", "/admin/users"];
      console.log(`Scale ${scale}: ${requests} requests each, ${concurrency} at a time\n`);

      const sampler = rssSampler(app.pid);
      const api = await pool(requests, concurrency, () =>
        get(`${app.url}/schedule/api/backup/database/`, { Authorization: `Bearer ${KEY}` }),
      );
      console.log(`backup API    ${percentiles(api)}`);
      const html = await pool(requests, concurrency, (i) =>
        get(`${app.url}${pages[i % pages.length]}`, { Cookie: cookie }),
      );
      console.log(`admin pages   ${percentiles(html)}`);
      const mixed = await pool(requests, concurrency, (i) =>
        i % 2
          ? get(`${app.url}${pages[i % pages.length]}`, { Cookie: cookie })
          : get(`${app.url}/schedule/api/backup/database/`, { Authorization: `Bearer ${KEY}` }),
      );
      console.log(`mixed         ${percentiles(mixed)}`);
      console.log(
        `\nserver peak RSS ${((sampler.stop() ?? 0) / 1024 / 1024).toFixed(0)} MiB; failed requests: ${failures.length}`,
      );
      for (const f of failures.slice(0, 10)) console.log(`  ${f}`);
      return failures.length ? 1 : 0;
    } finally {
      await app.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
