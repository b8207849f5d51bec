// npm run bench:replica -- DATABASE [--crashes 10] [--seconds 3]
// Continuous replication with the real Litestream binary and a file:// replica, with the
// intervals `npm start` uses (lib/offsite/replica/config-file.ts), on a copy of DATABASE
// (e.g. 100k rows: npm run db:seed -- --scale 100000). Each round: Litestream replicates
// while a writer commits row by row; both are killed with SIGKILL at the same moment; the
// replica is restored into a new file. Prints the data-loss window (the writer's last
// reported commit against the last one restored), the restore time, and Litestream's peak
// memory (VmHWM). Targets: window ≤ 1 s, restore at 100k ≤ 60 s, memory ≤ 100 MiB.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { cliArgs, runCli } from "@/lib/cli";
import type { ReplicaSettings } from "@/lib/config";
import { withSqlite } from "@/lib/db/sqlite";
import { formatBytes, formatCount, formatDuration } from "@/lib/format";
import { litestreamBinary } from "@/lib/offsite/replica/binary";
import { litestreamConfig } from "@/lib/offsite/replica/config-file";
import { lostCommits, startWriter } from "@/tests/support/writer";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function peakRssBytes(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface Round {
  lostMs: number;
  lostRows: number;
  commitsPerSecond: number;
  restoreMs: number;
  peakRss: number;
}

async function round(source: string, dir: string, seconds: number): Promise<Round> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const live = path.join(dir, "live.sqlite3");
  fs.copyFileSync(source, live);
  const settings: ReplicaSettings = {
    destination: { kind: "file", path: path.join(dir, "replica") },
    retention: "72h",
    maxLagMs: 60_000,
    ageRecipients: [],
  };
  const config = path.join(dir, "litestream.yml");
  fs.writeFileSync(config, litestreamConfig(live, settings));
  const litestream = spawn(litestreamBinary(), ["replicate", "-config", config], { stdio: "ignore" });
  // The first snapshot is shipped whole before any crash: the round measures the window, not the start.
  const generations = path.join(dir, "replica", "generations");
  const snapshotShipped = () =>
    fs.existsSync(generations) &&
    fs.readdirSync(generations).some((g) => {
      const snapshots = path.join(generations, g, "snapshots");
      return fs.existsSync(snapshots) && fs.readdirSync(snapshots).some((f) => f.endsWith(".snapshot.lz4"));
    });
  while (!snapshotShipped()) await pause(50);
  const writer = startWriter(live);
  let peakRss = 0;
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    peakRss = Math.max(peakRss, peakRssBytes(litestream.pid!));
    await pause(100);
  }
  peakRss = Math.max(peakRss, peakRssBytes(litestream.pid!));
  litestream.kill("SIGKILL");
  writer.process.kill("SIGKILL");
  await Promise.all([litestream, writer.process].map((p) => new Promise((resolve) => p.once("close", resolve))));

  const restored = path.join(dir, "restored.sqlite3");
  const started = process.hrtime.bigint();
  const result = spawnSync(litestreamBinary(), ["restore", "-config", config, "-o", restored, live], {
    encoding: "utf8",
  });
  const restoreMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`litestream restore failed: ${result.stdout}${result.stderr}`);
  const maxId = withSqlite(
    (db) =>
      db.prepare("SELECT MAX(id) FROM calendarEditor_machine WHERE name LIKE 'crash-probe-%'").pluck().get() as number,
    restored,
    { readonly: true },
  );
  const lost = lostCommits(writer, maxId);
  return { lostMs: lost.ms, lostRows: lost.rows, commitsPerSecond: lost.perSecond, restoreMs, peakRss };
}

runCli(async () => {
  const { values, positionals } = cliArgs({ crashes: { type: "string" }, seconds: { type: "string" } }, true);
  const database = positionals[0];
  if (!database) throw new Error("Usage: npm run bench:replica -- DATABASE [--crashes 10] [--seconds 3]");
  const crashes = Number(values.crashes ?? 10);
  const seconds = Number(values.seconds ?? 3);
  const rows = withSqlite(
    (db) =>
      db
        .prepare(
          "SELECT SUM(n) FROM (SELECT COUNT(*) AS n FROM calendarEditor_queueentry UNION ALL SELECT COUNT(*) FROM calendarEditor_notification UNION ALL SELECT COUNT(*) FROM calendarEditor_archivedmeasurement)",
        )
        .pluck()
        .get() as number,
    database,
    { readonly: true },
  );
  console.log(
    `Litestream ${spawnSync(litestreamBinary(), ["version"], { encoding: "utf8" }).stdout.trim()}, file:// replica, ` +
      `${path.basename(database)}: ${formatBytes(fs.statSync(database).size)}, ${formatCount(rows)} rows in the three largest models; ` +
      `${crashes} crashes after ${seconds} s of row-by-row commits each.\n`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-replica-"));
  const rounds: Round[] = [];
  try {
    for (let i = 0; i < crashes; i++) {
      const r = await round(database, path.join(dir, "round"), seconds);
      rounds.push(r);
      console.log(
        `crash ${String(i + 1).padStart(2)}: lost ${String(r.lostRows).padStart(3)} commits = ${formatDuration(r.lostMs).padStart(7)} ` +
          `(${r.commitsPerSecond.toFixed(0)} commits/s); restore ${formatDuration(r.restoreMs)}; Litestream peak ${formatBytes(r.peakRss)}`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const worst = (key: keyof Round) => Math.max(...rounds.map((r) => r[key]));
  const mid = (key: keyof Round) => median(rounds.map((r) => r[key]));
  console.log(
    `\nData-loss window: median ${formatDuration(mid("lostMs"))}, worst ${formatDuration(worst("lostMs"))} (target ≤ 1 s)`,
  );
  console.log(
    `Restore from the replica: median ${formatDuration(mid("restoreMs"))}, worst ${formatDuration(worst("restoreMs"))} (target ≤ 60 s)`,
  );
  console.log(
    `Litestream peak memory: median ${formatBytes(mid("peakRss"))}, worst ${formatBytes(worst("peakRss"))} (target ≤ 100 MiB)`,
  );
});
