// npm run bench:postgres-restore -- [--scale 100000] [--runs 3] [--server URL] [--from FILE]
//   --server: a PostgreSQL server where a database may be made (default TEST_POSTGRES_URL);
//   --from: a seeded SQLite file to start from instead of seeding one (it is not changed).
// Restoring into PostgreSQL against its floor: the shared generator seeds a SQLite file, the
// export of it is the backup restored. A new PostgreSQL database is migrated and filled by one
// restore of it (not timed). Then, run after run, in processes of their own (bench/task.ts):
//   - restore JSON into PostgreSQL: the whole pipeline (check every record, COPY, checks, the
//     safety export of the data replaced, COMMIT), into the populated database;
//   - its reference, `pg_restore --data-only --single-transaction` of a `pg_dump -Fc --data-only`
//     of the same tables holding the same data (the tables emptied first, not timed);
//   - restore JSON into SQLite, the same file into a copy of the seeded file: the memory budget.
// Prints a table (target: restore into PostgreSQL ≤ 1.5× pg_restore); the database is dropped after.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { writeExportToFile } from "@/lib/backup/export/write-file";
import { BACKUP_TABLES } from "@/lib/backup/format/schema-model";
import { cliArgs } from "@/lib/cli";
import { migrateDatabase } from "@/lib/db/migrate";
import { withPostgres } from "@/lib/db/postgres/connection";
import { migratePostgres } from "@/lib/db/postgres/migrate";
import { quoteIdentifier as quote, withSqlite } from "@/lib/db/sqlite";
import { seedDemoData } from "@/lib/seed/seed";

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

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "labq-bench-pg-restore-"));
const at = (name: string) => path.join(dir, name);

function runTaskOn(task: string, file: string, databaseUrl: string): Promise<Sample> {
  return runTask(task, file, { DATABASE_URL: databaseUrl, DATA_DIR: at("data") });
}

const mib = (bytes: number | null | undefined) => (bytes == null ? "–" : `${(bytes / 1024 / 1024).toFixed(0)} MiB`);
const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const database = `labq_bench_${randomBytes(4).toString("hex")}`;
const url = (() => {
  const u = new URL(server);
  u.pathname = `/${database}`;
  return u.toString();
})();
/** The tables a restore writes, as pg_dump's -t wants them (quoted: some names have capitals). */
const tableArgs = BACKUP_TABLES.flatMap((t) => ["-t", quote(t)]);

try {
  let seeded = values.from;
  if (!seeded) {
    seeded = at("seeded.sqlite3");
    migrateDatabase(seeded);
    withSqlite((db) => seedDemoData(db, scale), seeded);
  }
  const backup = at("backup.json");
  await writeExportToFile(backup, { file: seeded });
  await withPostgres(server, (db) => db.query(`CREATE DATABASE "${database}"`));
  await migratePostgres(url);
  const first = await runTaskOn("restore", backup, url);
  await withPostgres(url, (db) => db.query("VACUUM ANALYZE"));
  const rows = await withPostgres(url, async (db) => {
    const counts = await Promise.all(
      BACKUP_TABLES.map(async (t) => Number((await db.query(`SELECT count(*) AS n FROM ${quote(t)}`)).rows[0].n)),
    );
    return counts.reduce((a, b) => a + b, 0);
  });
  console.error(`${rows.toLocaleString("en-US")} rows in PostgreSQL (first restore ${first.seconds.toFixed(1)} s)`);
  const dump = at("data.dump");
  await timeCommand("pg_dump", ["-Fc", "--data-only", ...tableArgs, "-f", dump, url]);
  const sqliteTarget = at("target.sqlite3");

  const tasks: Record<string, () => Promise<Sample>> = {
    "restore JSON into PostgreSQL": () => runTaskOn("restore", backup, url),
    "pg_restore --data-only --single-transaction": async () => {
      await withPostgres(url, (db) => db.query(`TRUNCATE ${BACKUP_TABLES.map(quote).join(", ")}`));
      return timeCommand("pg_restore", ["--data-only", "--single-transaction", "-d", url, dump]);
    },
    "restore JSON into SQLite": () => {
      fs.copyFileSync(seeded, sqliteTarget);
      return runTaskOn("restore", backup, `file:${sqliteTarget}`);
    },
  };
  const samples: Record<string, Sample[]> = {};
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ours = await tasks["restore JSON into PostgreSQL"]!();
    const floor = await tasks["pg_restore --data-only --single-transaction"]!();
    const sqlite = await tasks["restore JSON into SQLite"]!();
    for (const [name, sample] of [
      ["restore JSON into PostgreSQL", ours],
      ["pg_restore --data-only --single-transaction", floor],
      ["restore JSON into SQLite", sqlite],
    ] as const)
      (samples[name] ??= []).push(sample);
    ratios.push(ours.seconds / floor.seconds);
    console.error(
      `run ${i + 1}: PostgreSQL ${ours.seconds.toFixed(2)} s, pg_restore ${floor.seconds.toFixed(2)} s, SQLite ${sqlite.seconds.toFixed(2)} s`,
    );
  }

  console.log(
    `\nRestore into PostgreSQL at scale ${scale} (${rows.toLocaleString("en-US")} rows, ${mib(fs.statSync(backup).size)} JSON), median of ${runs} runs`,
  );
  console.log(
    "task                                          seconds   peak RSS   ratio to pg_restore (median of pairs)",
  );
  for (const name of Object.keys(tasks)) {
    const m = median(samples[name]!);
    const ratio = name === "restore JSON into PostgreSQL" ? `${middle(ratios).toFixed(2)}×` : "";
    console.log(
      `${name.padEnd(45)} ${m.seconds.toFixed(2).padStart(7)}   ${mib(m.peakRssBytes).padStart(8)}   ${ratio}`,
    );
  }
  console.log(
    "Target: restore into PostgreSQL ≤ 1.5× pg_restore --data-only --single-transaction; memory within SQLite's.",
  );
} finally {
  await withPostgres(server, (db) => db.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)).catch(
    () => undefined,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}
