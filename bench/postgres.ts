// npm run bench:postgres -- [--scale 100000] [--runs 3] [--server URL] [--from FILE]
//   --server: a PostgreSQL server where a database may be made (default TEST_POSTGRES_URL);
//   --from: a seeded SQLite file to start from instead of seeding one (it is not changed).
// The same lab data on both engines: seeded into SQLite by the shared generator, copied row for
// row into a new PostgreSQL database. Then, run after run, the export from PostgreSQL and its
// reference `pg_dump` (plain SQL) of the same database, and the export from SQLite and its
// reference `sqlite3 .dump`, each task in a process of its own (bench/task.ts) for its peak
// memory. Prints a table (target: PostgreSQL export ≤ 2× pg_dump); the database is dropped after.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { cliArgs } from "@/lib/cli";
import { migrateDatabase } from "@/lib/db/migrate";
import { withPostgres } from "@/lib/db/postgres/connection";
import { migratePostgres } from "@/lib/db/postgres/migrate";
import { withSqlite } from "@/lib/db/sqlite";
import { seedDemoData } from "@/lib/seed/seed";
import { copySqliteToPostgres } from "@/tests/support/postgres-copy";

import { median, runTask, timeCommand, type Sample } from "./measure";

const { values } = cliArgs({
  scale: { type: "string" },
  runs: { type: "string" },
  server: { type: "string" },
  from: { type: "string" },
});
const scale = Number(values.scale ?? 100_000);
const runs = Number(values.runs ?? 3);
const server = values.server ?? process.env.TEST_POSTGRES_URL;
if (!server) throw new Error("Name a PostgreSQL server: --server postgresql://… (or set TEST_POSTGRES_URL).");

function runTaskOn(task: string, file: string, databaseUrl: string): Promise<Sample> {
  return runTask(task, file, { DATABASE_URL: databaseUrl });
}

const withBytes = async (sample: Promise<Sample>, file: string) => ({
  ...(await sample),
  bytes: fs.statSync(file).size,
});
const mib = (bytes: number | null | undefined) => (bytes == null ? "–" : `${(bytes / 1024 / 1024).toFixed(0)} MiB`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "labq-bench-pg-"));
const at = (name: string) => path.join(dir, name);
const database = `labq_bench_${randomBytes(4).toString("hex")}`;
const url = (() => {
  const u = new URL(server);
  u.pathname = `/${database}`;
  return u.toString();
})();

try {
  let file = values.from;
  if (!file) {
    file = at("seeded.sqlite3");
    migrateDatabase(file);
    withSqlite((db) => seedDemoData(db, scale), file);
  }
  await withPostgres(server, (db) => db.query(`CREATE DATABASE "${database}"`));
  await migratePostgres(url);
  const copyStarted = performance.now();
  const rows = await copySqliteToPostgres(file, url);
  // As a database in use would be: statistics gathered, visibility map set.
  await withPostgres(url, (db) => db.query("VACUUM ANALYZE"));
  console.error(
    `${rows.toLocaleString("en-US")} rows on both engines (copied in ${((performance.now() - copyStarted) / 1000).toFixed(1)} s)`,
  );

  const tasks: Record<string, () => Promise<Sample>> = {
    "export from PostgreSQL": () => runTaskOn("export", at("export-pg.json"), url),
    "pg_dump (plain)": () => withBytes(timeCommand("pg_dump", ["-Fp", "-f", at("dump.sql"), url]), at("dump.sql")),
    "export from SQLite": () => runTaskOn("export", at("export-sqlite.json"), `file:${file}`),
    "sqlite3 .dump": () =>
      withBytes(timeCommand("sqlite3", [file, ".dump"], { stdout: at("dump.sqlite.sql") }), at("dump.sqlite.sql")),
  };
  const pairs: [string, string][] = [
    ["export from PostgreSQL", "pg_dump (plain)"],
    ["export from SQLite", "sqlite3 .dump"],
  ];
  const samples: Record<string, Sample[]> = {};
  const ratios: Record<string, number[]> = {};
  for (let i = 0; i < runs; i++) {
    for (const [task, reference] of pairs) {
      const sample = await tasks[task]!();
      const ref = await tasks[reference]!();
      (samples[task] ??= []).push(sample);
      (samples[reference] ??= []).push(ref);
      (ratios[task] ??= []).push(sample.seconds / ref.seconds);
      console.error(`run ${i + 1}: ${task} ${sample.seconds.toFixed(2)} s, ${reference} ${ref.seconds.toFixed(2)} s`);
    }
  }
  const same =
    fs.readFileSync(at("export-pg.json"), "utf8").replace(/^\{"export_date":"[^"]*"/, "") ===
    fs.readFileSync(at("export-sqlite.json"), "utf8").replace(/^\{"export_date":"[^"]*"/, "");

  console.log(`\nPostgreSQL export at scale ${scale} (${rows.toLocaleString("en-US")} rows), median of ${runs} runs`);
  console.log("task                      seconds   peak RSS   output     ratio to reference (median of pairs)");
  for (const name of Object.keys(tasks)) {
    const m = median(samples[name]!);
    const r = ratios[name];
    const ratio = r ? [...r].sort((a, b) => a - b)[Math.floor(r.length / 2)]!.toFixed(2) + "×" : "";
    console.log(
      `${name.padEnd(25)} ${m.seconds.toFixed(2).padStart(7)}   ${mib(m.peakRssBytes).padStart(8)}   ${mib(m.bytes).padStart(8)}   ${ratio}`,
    );
  }
  console.log(`The two exports are ${same ? "the same document" : "DIFFERENT documents"} but for their export time.`);
  console.log("Target: export from PostgreSQL ≤ 2× pg_dump (plain); memory within the SQLite export's.");
  if (!same) process.exitCode = 1;
} finally {
  await withPostgres(server, (db) => db.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)).catch(
    () => undefined,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}
