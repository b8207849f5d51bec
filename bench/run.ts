// npm run bench -- [--scale 1000,10000,100000] [--runs 3] [--million] [--only TEXT,…]
//   --million: scale 300k, ~1.1M rows; --only: the tasks whose name holds one of the texts
//   (`--only db:restore` measures the restore as an operator runs it, and its reference).
// Seeds a database per scale with the shared generator, then measures export (HTTP and CLI),
// verify, restores (JSON and SQLite; the engine alone, and `npm run db:restore` whole),
// snapshots (CLI and HTTP) and, as references on the same files, sqlite3's .backup, .dump and
// dump replay (and the CLI export for the downloads): each run of a task is followed by a run
// of its reference. Prints a table and writes bench/results/<date>.json. Timing lives here,
// never in the test suite.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { createAccount } from "@/lib/auth/accounts";
import { rowCounts } from "@/lib/backup/row-counts";
import { cliArgs, runCli } from "@/lib/cli";
import { childEnvironment } from "@/lib/config";
import { migrateDatabase } from "@/lib/db/migrate";
import { withSqlite } from "@/lib/db/sqlite";
import { seedDemoData } from "@/lib/seed/seed";
import { signIn, startApp, type RunningApp } from "@/tests/support/app-server";
import { setEnv } from "@/tests/support/env";
import { testKey } from "@/tests/support/keys";

import { median, rssSampler, runTask, timeCommand, type Sample } from "./measure";
import { printTable, targetLines, type ScaleResult, type TaskResult } from "./report";

const PORT = 3230;
const KEY = testKey("bench-backup");
const ADMIN = { username: "bench-admin", password: "bench-admin-password" };

/** What each task is compared with: a sqlite3 tool on the same file, or the CLI doing the same work. */
const REFERENCE: Record<string, string> = {
  // The same gzipped file written by the CLI: the download adds only the HTTP path to it.
  "export (HTTP API, .json.gz)": "export (CLI, .json.gz)",
  // The same document the CLI gzips as .json.gz, gzipped by the server in transit (one member).
  "export (HTTP API, gzip in transit)": "export (CLI, .json.gz)",
  "export (HTTP API, plain)": "export (CLI)",
  "export (CLI)": "sqlite3 .dump",
  "export (CLI, .json.gz)": "export (CLI)",
  "db:verify": "sqlite3 .dump",
  "restore JSON (full pipeline)": "replay .dump",
  "db:restore JSON (npm run, whole)": "replay .dump",
  "restore SQLite snapshot": "replay .dump",
  "snapshot (CLI)": "sqlite3 .backup",
  "snapshot download (HTTP)": "sqlite3 .backup",
};

/** The export over HTTP in each form a client may ask for. */
const HTTP_EXPORTS: { task: string; query: string; headers: Record<string, string>; out: string }[] = [
  // The gzipped file the workflows fetch, compressed by the server as it exports.
  { task: "export (HTTP API, .json.gz)", query: "?format=json.gz", headers: {}, out: "export-http.json.gz" },
  // What `curl --compressed` (and a browser) gets: the app's own gzip, Content-Encoding: gzip.
  {
    task: "export (HTTP API, gzip in transit)",
    query: "",
    headers: { "Accept-Encoding": "gzip" },
    out: "export-http.json",
  },
  // What a client that asks for no compression gets: the document as the export writes it.
  {
    task: "export (HTTP API, plain)",
    query: "",
    headers: { "Accept-Encoding": "identity" },
    out: "export-http-plain.json",
  },
];

/** The median of a list of numbers. */
function middle(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Downloads with curl, the client of the backup workflow (scripts/weekly-backup.sh), while
 * sampling the server's memory. A Node client on the same two cores took ~0.5 s of CPU from
 * the server at 100k (plain export: 2.99–3.09 s through fetch, 2.44–2.60 s through curl).
 * The headers go through a file, as the workflow's do, so no key is on a command line.
 */
async function timeDownload(
  app: RunningApp,
  url: string,
  headers: Record<string, string>,
  out: string,
): Promise<Sample> {
  const headerFile = `${out}.headers`;
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\n`);
  fs.writeFileSync(headerFile, lines.join(""), { mode: 0o600 });
  // Asked for gzip in transit: curl then decompresses, as a browser would.
  const compressed = /gzip/.test(headers["Accept-Encoding"] ?? "") ? ["--compressed"] : [];
  const args = ["--silent", "--show-error", "--fail", ...compressed, "--header", `@${headerFile}`];
  const sampler = rssSampler(app.pid);
  let peakRssBytes: number | null;
  let seconds: number;
  try {
    ({ seconds } = await timeCommand("curl", [...args, "--output", out, url]));
  } finally {
    peakRssBytes = sampler.stop();
    fs.rmSync(headerFile, { force: true });
  }
  return { seconds, peakRssBytes, bytes: fs.statSync(out).size };
}

/**
 * `npm run db:restore -- FILE --yes --silent` as an operator types it: npm, the CLI's start,
 * its migration check, the restore with its safety snapshot, the table it prints. Peak RSS is
 * the largest process of the tree (the restore's node).
 */
async function timeCliRestore(file: string, env: Record<string, string>): Promise<Sample> {
  // The CLI bundles itself on its first start after a change (seconds of esbuild): once,
  // untimed, as the other tasks' bundle is built by the setup runs before they are timed.
  spawnSync(process.execPath, ["scripts/cli.mjs", "restore"], { stdio: "ignore" });
  const started = performance.now();
  const child = spawn("npm", ["run", "--silent", "db:restore", "--", file, "--yes", "--silent"], {
    env: childEnvironment(env),
    stdio: ["ignore", "ignore", "pipe"],
  });
  const sampler = rssSampler(child.pid!);
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const seconds = (performance.now() - started) / 1000;
  const peakRssBytes = sampler.stop();
  if (code !== 0) throw new Error(`npm run db:restore failed (${code}): ${stderr.slice(-2000)}`);
  return { seconds, peakRssBytes, bytes: fs.statSync(file).size };
}

/** The downloads, from the app serving the seeded database. */
async function measureOverHttp(
  env: Record<string, string>,
  measure: (name: string, once: (i: number) => Promise<Sample>) => Promise<void>,
  at: (name: string) => string,
): Promise<void> {
  const app = await startApp({ ...env, BACKUP_API_KEY: KEY, SEED_DEMO_DATA: "0" }, PORT);
  try {
    const cookie = (await signIn(app.url, ADMIN.username, ADMIN.password))?.cookie;
    if (!cookie) throw new Error("The benchmark's staff account could not sign in.");
    for (const form of HTTP_EXPORTS) {
      await measure(form.task, () =>
        timeDownload(
          app,
          `${app.url}/schedule/api/backup/database/${form.query}`,
          { Authorization: `Bearer ${KEY}`, ...form.headers },
          at(form.out),
        ),
      );
    }
    await measure("snapshot download (HTTP)", () =>
      timeDownload(app, `${app.url}/admin/storage/snapshot`, { Cookie: cookie }, at("snapshot-http.sqlite3")),
    );
  } finally {
    await app.stop();
  }
}

function freshCopy(from: string, to: string): string {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${to}${suffix}`, { force: true });
  fs.copyFileSync(from, to);
  return to;
}

async function benchScale(scale: number, runs: number, only: string[] | null): Promise<ScaleResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `labq-bench-${scale}-`));
  const at = (name: string) => path.join(dir, name);
  try {
    const db = at("seeded.sqlite3");
    setEnv({ DATABASE_URL: `file:${db}` });
    migrateDatabase(db);
    const seedStarted = performance.now();
    withSqlite((sqlite) => seedDemoData(sqlite, scale), db);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    await createAccount({ ...ADMIN, staff: true });
    withSqlite((sqlite) => sqlite.pragma("wal_checkpoint(TRUNCATE)"), db);
    const rows = rowCounts(db).reduce((n, c) => n + c.rows, 0);
    console.error(`\n[${scale}] ${rows.toLocaleString("en-US")} rows seeded in ${seedSeconds.toFixed(1)} s`);

    const on = (file: string) => ({ DATABASE_URL: `file:${file}`, DATA_DIR: at("data") });
    // The references, each run right after the task it is compared with (below).
    const referenceRuns: Record<string, () => Promise<Sample>> = {
      "sqlite3 .backup": async () => ({
        ...(await timeCommand("sqlite3", [db, `.backup '${at("ref-backup.sqlite3")}'`])),
        bytes: fs.statSync(at("ref-backup.sqlite3")).size,
      }),
      "sqlite3 .dump": async () => ({
        ...(await timeCommand("sqlite3", [db, ".dump"], { stdout: at("dump.sql") })),
        bytes: fs.statSync(at("dump.sql")).size,
      }),
      "replay .dump": async () => {
        fs.rmSync(at("replayed.sqlite3"), { force: true });
        return {
          ...(await timeCommand("sqlite3", [at("replayed.sqlite3")], { stdin: at("dump.sql") })),
          bytes: fs.statSync(at("dump.sql")).size,
        };
      },
      "export (CLI)": () => runTask("export", at("export.json"), on(db)),
      "export (CLI, .json.gz)": () => runTask("export", at("export.json.gz"), on(db)),
    };
    const samples: Record<string, Sample[]> = {};
    const pairedRatios: Record<string, { ratio: number; loadAverage: number }[]> = {};
    const keep = (name: string, sample: Sample) => (samples[name] ??= []).push(sample);
    // The table lists the tasks in the order measured, then the sqlite3 references.
    const measured: string[] = [];
    /**
     * Each run of a task is followed by a run of its reference, and the ratio is the median of
     * those pairs: measured minutes apart, the references here moved by up to 40 %.
     */
    const wanted = (name: string) => !only || only.some((text) => name.includes(text));
    const measure = async (name: string, once: (i: number) => Promise<Sample>) => {
      if (!wanted(name)) return;
      const reference = REFERENCE[name];
      measured.push(name);
      for (let i = 0; i < runs; i++) {
        // The machine may be shared: the load each pair ran under is printed with its ratio.
        const loadAverage = os.loadavg()[0]!;
        const sample = await once(i);
        keep(name, sample);
        if (!reference) continue;
        const ref = await referenceRuns[reference]!();
        keep(reference, ref);
        (pairedRatios[name] ??= []).push({ ratio: sample.seconds / ref.seconds, loadAverage });
      }
      console.error(`[${scale}] ${name}: ${median(samples[name]!).seconds.toFixed(2)} s`);
    };

    // Made once first: the replay reads the dump, and the restores read the export.
    keep("sqlite3 .dump", await referenceRuns["sqlite3 .dump"]!());
    keep("export (CLI)", await referenceRuns["export (CLI)"]!());
    await measure("export (CLI)", referenceRuns["export (CLI)"]!);
    await measure("export (CLI, .json.gz)", referenceRuns["export (CLI, .json.gz)"]!);
    await measure("db:verify", () => runTask("verify", at("export.json"), on(db)));
    await measure("snapshot (CLI)", () => runTask("snapshot", at("snapshot.sqlite3"), on(db)));
    await measure("restore JSON (full pipeline)", async () => {
      const target = freshCopy(db, at("restore.sqlite3"));
      return {
        ...(await runTask("restore", at("export.json"), on(target))),
        bytes: fs.statSync(at("export.json")).size,
      };
    });
    await measure("db:restore JSON (npm run, whole)", async () => {
      const target = freshCopy(db, at("restore.sqlite3"));
      return timeCliRestore(at("export.json"), on(target));
    });
    await measure("restore SQLite snapshot", async () => {
      // Made by the snapshot task above, unless --only left it out.
      if (!fs.existsSync(at("snapshot.sqlite3"))) await runTask("snapshot", at("snapshot.sqlite3"), on(db));
      const target = freshCopy(db, at("restore.sqlite3"));
      return {
        ...(await runTask("restore", at("snapshot.sqlite3"), on(target))),
        bytes: fs.statSync(at("snapshot.sqlite3")).size,
      };
    });

    // The downloads need the app running: only when --only leaves one of them in.
    if ([...HTTP_EXPORTS.map((form) => form.task), "snapshot download (HTTP)"].some(wanted))
      await measureOverHttp(on(db), measure, at);

    const results: Record<string, TaskResult> = {};
    const order = [...measured, ...Object.keys(samples).filter((name) => !measured.includes(name))];
    for (const name of order) {
      const sample = median(samples[name]!);
      const pairs = pairedRatios[name];
      results[name] = {
        ...sample,
        rowsPerSecond: Math.round(rows / sample.seconds),
        reference: REFERENCE[name] ?? null,
        ratio: pairs ? middle(pairs.map((p) => p.ratio)) : null,
        ...(pairs ? { pairs } : {}),
      };
    }
    return { scale, rows, databaseBytes: fs.statSync(db).size, seedSeconds, results };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** bench/results/<day>.json, or <day>-2.json and on when the day already has a run: results are kept, not replaced. */
function resultsFile(day: string): string {
  for (let n = 1; ; n++) {
    const file = `bench/results/${day}${n === 1 ? "" : `-${n}`}.json`;
    if (!fs.existsSync(file)) return file;
  }
}

function machine() {
  const sqlite3 = execFileSync("sqlite3", ["--version"], { encoding: "utf8" }).split(" ")[0];
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "",
    memoryBytes: os.totalmem(),
    node: process.version,
    sqlite3,
  };
}

runCli(async () => {
  const { values } = cliArgs({
    scale: { type: "string" },
    runs: { type: "string" },
    million: { type: "boolean" },
    only: { type: "string" },
  });
  const only = values.only ? values.only.split(",").map((text) => text.trim()) : null;
  const scales = (values.scale ?? "1000,10000,100000").split(",").map(Number);
  // Scale 300k: about 1.1 million rows.
  if (values.million) scales.push(300_000);
  if (scales.some((s) => !Number.isInteger(s) || s < 10))
    throw new Error("--scale takes whole numbers ≥ 10, comma-separated.");
  const runs = Number(values.runs ?? 3);
  setEnv({ SEED_DEMO_DATA: "0" });

  const results: ScaleResult[] = [];
  for (const scale of scales) results.push(await benchScale(scale, runs, only));

  const date = new Date().toISOString();
  const report = { date, runs, machine: machine(), scales: results };
  fs.mkdirSync("bench/results", { recursive: true });
  const out = resultsFile(date.slice(0, 10));
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(printTable(results));
  console.log(targetLines(results).join("\n"));
  console.log(`\nWrote ${out}`);
});
