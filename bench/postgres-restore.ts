// npm run bench:postgres-restore -- [--scale 100000] [--runs 3] [--server URL] [--from FILE]
// (arguments: bench/postgres-support.ts).
// Restoring into PostgreSQL against its floor: the shared generator seeds a SQLite file, the
// export of it is the backup restored. A new PostgreSQL database is migrated and filled by one
// restore of it (not timed). Then, run after run, in processes of their own (bench/task.ts):
//   - restore JSON into PostgreSQL: the whole pipeline (check every record, COPY, checks, the
//     safety export of the data replaced, COMMIT), into the populated database;
//   - its reference, `pg_restore --data-only --single-transaction` of a `pg_dump -Fc --data-only`
//     of the same tables holding the same data (the tables emptied first, not timed);
//   - restore JSON into SQLite, the same file into a copy of the seeded file: the memory budget.
// Prints a table (target: restore into PostgreSQL ≤ 1.5× pg_restore) and where the restore's time
// went, step by step: pg_restore keeps no copy of the data it replaces, so the time spent waiting
// for the safety export is shown apart too.
import fs from "node:fs";

import { writeExportToFile } from "@/lib/backup/export/write-file";
import { BACKUP_TABLES } from "@/lib/backup/format/schema-model";
import { countTables } from "@/lib/db/engine/postgres/read";
import { withPostgres } from "@/lib/db/postgres/connection";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";

import { median, runTask, timeCommand, type Sample } from "./measure";
import { loadAverage, mib, middle, withPostgresBench } from "./postgres-support";

/** The step of a restore (its progress report) that is the wait for the safety snapshot. */
const SNAPSHOT_STEP = "taking a safety snapshot";
/** The tables a restore writes, as pg_dump's -t wants them (quoted: some names have capitals). */
const tableArgs = BACKUP_TABLES.flatMap((t) => ["-t", quote(t)]);
const OURS = "restore JSON into PostgreSQL";
const FLOOR = "pg_restore --data-only --single-transaction";
const SQLITE = "restore JSON into SQLite";

await withPostgresBench("pg-restore", async ({ source, runs, at, seeded, url }) => {
  const runTaskOn = (task: string, file: string, databaseUrl: string) =>
    runTask(task, file, { DATABASE_URL: databaseUrl, DATA_DIR: at("data") });
  const backup = at("backup.json");
  await writeExportToFile(backup, { file: seeded });
  const first = await runTaskOn("restore", backup, url);
  await withPostgres(url, (db) => db.query("VACUUM ANALYZE"));
  const counts = await withPostgres(url, (db) => countTables(db, BACKUP_TABLES));
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  console.error(`${rows.toLocaleString("en-US")} rows in PostgreSQL (first restore ${first.seconds.toFixed(1)} s)`);
  const dump = at("data.dump");
  await timeCommand("pg_dump", ["-Fc", "--data-only", ...tableArgs, "-f", dump, url]);
  const sqliteTarget = at("target.sqlite3");

  const tasks: Record<string, () => Promise<Sample>> = {
    [OURS]: () => runTaskOn("restore", backup, url),
    [FLOOR]: async () => {
      await withPostgres(url, (db) => db.query(`TRUNCATE ${BACKUP_TABLES.map(quote).join(", ")}`));
      return timeCommand("pg_restore", ["--data-only", "--single-transaction", "-d", url, dump]);
    },
    [SQLITE]: () => {
      fs.copyFileSync(seeded, sqliteTarget);
      return runTaskOn("restore", backup, `file:${sqliteTarget}`);
    },
  };
  const samples: Record<string, Sample[]> = {};
  const ratios: number[] = [];
  const ratiosWithoutSnapshot: number[] = [];
  const loads: string[] = [];
  for (let i = 0; i < runs; i++) {
    loads.push(loadAverage());
    const ours = await tasks[OURS]!();
    const floor = await tasks[FLOOR]!();
    const sqlite = await tasks[SQLITE]!();
    for (const [name, sample] of [
      [OURS, ours],
      [FLOOR, floor],
      [SQLITE, sqlite],
    ] as const)
      (samples[name] ??= []).push(sample);
    const snapshotWait = ours.phases?.[SNAPSHOT_STEP] ?? 0;
    ratios.push(ours.seconds / floor.seconds);
    ratiosWithoutSnapshot.push((ours.seconds - snapshotWait) / floor.seconds);
    console.error(
      `run ${i + 1} (load ${loads[i]}): PostgreSQL ${ours.seconds.toFixed(2)} s (safety snapshot wait ${snapshotWait.toFixed(2)} s), ` +
        `pg_restore ${floor.seconds.toFixed(2)} s, SQLite ${sqlite.seconds.toFixed(2)} s`,
    );
  }

  console.log(
    `\nRestore into PostgreSQL ${source} (${rows.toLocaleString("en-US")} rows, ${mib(fs.statSync(backup).size)} JSON), ` +
      `median of ${runs} runs, load average ${loads.join(", ")}`,
  );
  console.log(
    "task                                          seconds   peak RSS   ratio to pg_restore (median of pairs)",
  );
  for (const name of Object.keys(tasks)) {
    const m = median(samples[name]!);
    const ratio = name === OURS ? `${middle(ratios).toFixed(2)}×` : "";
    console.log(
      `${name.padEnd(45)} ${m.seconds.toFixed(2).padStart(7)}   ${mib(m.peakRssBytes).padStart(8)}   ${ratio}`,
    );
  }
  console.log(`\nWhere the restore into PostgreSQL spent its time (median seconds per step):`);
  const steps = Object.keys(samples[OURS]![0]!.phases ?? {});
  for (const step of steps) {
    const seconds = middle(samples[OURS]!.map((s) => s.phases?.[step] ?? 0));
    console.log(`  ${step.padEnd(50)} ${seconds.toFixed(2).padStart(7)}`);
  }
  console.log(
    `Without the wait for the safety snapshot (pg_restore keeps no copy of what it replaces): ` +
      `${middle(ratiosWithoutSnapshot).toFixed(2)}× pg_restore.`,
  );
  console.log(
    "Target: restore into PostgreSQL ≤ 1.5× pg_restore --data-only --single-transaction; memory within SQLite's.",
  );
});
