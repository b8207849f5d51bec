// npm run bench:postgres -- [--scale 100000] [--runs 3] [--server URL] [--from FILE]
// (arguments: bench/postgres-support.ts).
// The same lab data on both engines: seeded into SQLite by the shared generator, copied row for
// row into a new PostgreSQL database. Then, run after run, the export from PostgreSQL and its
// reference `pg_dump` (plain SQL) of the same database, and the export from SQLite and its
// reference `sqlite3 .dump`, each task in a process of its own (bench/task.ts) for its peak
// memory. Prints a table (target: PostgreSQL export ≤ 2× pg_dump); the database is dropped after.
import fs from "node:fs";

import { withPostgres } from "@/lib/db/postgres/connection";
import { copySqliteToPostgres } from "@/tests/support/postgres-copy";

import { median, runTask, timeCommand, type Sample } from "./measure";
import { loadAverage, mib, middle, withPostgresBench } from "./postgres-support";

const withBytes = async (sample: Promise<Sample>, file: string) => ({
  ...(await sample),
  bytes: fs.statSync(file).size,
});

await withPostgresBench("pg", async ({ source, runs, at, seeded: file, url }) => {
  const runTaskOn = (task: string, out: string, databaseUrl: string) =>
    runTask(task, out, { DATABASE_URL: databaseUrl });
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

  console.log(
    `\nPostgreSQL export ${source} (${rows.toLocaleString("en-US")} rows), median of ${runs} runs, load average ${loadAverage()}`,
  );
  console.log("task                      seconds   peak RSS   output     ratio to reference (median of pairs)");
  for (const name of Object.keys(tasks)) {
    const m = median(samples[name]!);
    const r = ratios[name];
    const ratio = r ? `${middle(r).toFixed(2)}×` : "";
    console.log(
      `${name.padEnd(25)} ${m.seconds.toFixed(2).padStart(7)}   ${mib(m.peakRssBytes).padStart(8)}   ${mib(m.bytes).padStart(8)}   ${ratio}`,
    );
  }
  console.log(`The two exports are ${same ? "the same document" : "DIFFERENT documents"} but for their export time.`);
  console.log("Target: export from PostgreSQL ≤ 2× pg_dump (plain); memory within the SQLite export's.");
  if (!same) process.exitCode = 1;
});
