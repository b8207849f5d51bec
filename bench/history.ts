// npm run bench:history -- [--events 200000] [--runs 5]
// How long Manage Storage's History takes to find one page of one filter in a long history: a
// year of guessing attacks makes most of it failed sign-ins. A fresh migrated database gets
// the events (85 % failed sign-ins, 3 % lock-outs, 7 % account changes, the rest backups and
// off-site work), then each filter's first page and a page far back are read the way the page
// reads them (count, then the page), on the schema as migrated and, for comparison, with an
// index on the kind added (not in the schema: see bench/README.md). Figures only, median of the runs.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { historyView, type HistoryFilter } from "@/lib/admin/history";
import { cliArgs, runCli } from "@/lib/cli";
import { loadConfig } from "@/lib/config";
import { migrateDatabase } from "@/lib/db/migrate";
import { withSqlite } from "@/lib/db/sqlite";

const FILTERS: HistoryFilter[] = ["all", "backups", "offsite", "accounts"];

function fill(file: string, events: number): void {
  withSqlite((db) => {
    const insert = db.prepare(
      `INSERT INTO backup_event (kind, source, actor, started_at, finished_at, result, detail)
       VALUES (?, 'ui', ?, '2026-12-05T03:04:05.678+00:00', '2026-12-05T03:04:06.000+00:00', ?, ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < events; i++) {
        const n = i % 100;
        const kind =
          n < 85
            ? "sign-in"
            : n < 88
              ? "lockout"
              : n < 95
                ? "account"
                : n < 98
                  ? "export"
                  : n < 99
                    ? "push"
                    : "restore";
        insert.run(kind, `user${i % 50}`, n < 88 ? "failed" : "ok", "Wrong username or password, from 10.0.0.1.");
      }
    })();
  }, file);
}

async function median(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function measure(label: string, runs: number): Promise<void> {
  for (const filter of FILTERS) {
    const first = await historyView(filter, 1);
    const farBack = Math.max(1, Math.floor(first.pages / 2));
    const [newest, back] = [
      await median(runs, () => historyView(filter, 1)),
      await median(runs, () => historyView(filter, farBack)),
    ];
    console.log(
      `${label.padEnd(18)} ${filter.padEnd(9)} ${first.total.toLocaleString("en-US").padStart(9)} entries  ` +
        `page 1: ${newest.toFixed(1).padStart(6)} ms  page ${String(farBack).padStart(5)}: ${back.toFixed(1).padStart(6)} ms`,
    );
  }
}

async function main() {
  const { values } = cliArgs({ events: { type: "string" }, runs: { type: "string" } }, false);
  const events = Number(values.events ?? 200_000);
  const runs = Number(values.runs ?? 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-history-"));
  const file = path.join(dir, "db.sqlite3");
  process.env.DATABASE_URL = `file:${file}`;
  process.env.DATA_DIR = dir;
  loadConfig();
  try {
    migrateDatabase(file);
    fill(file, events);
    console.log(`${events.toLocaleString("en-US")} events, median of ${runs} runs`);
    await measure("as migrated", runs);
    withSqlite((db) => db.exec("CREATE INDEX bench_backup_event_kind ON backup_event (kind)"), file);
    await measure("with a kind index", runs);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void runCli(main);
