// What the two PostgreSQL benches share (bench/postgres.ts: export; bench/postgres-restore.ts:
// restore): their arguments, a seeded SQLite file to start from, a new database on the server
// that is dropped afterwards, and how figures are printed.
//   --scale N    (default 100000) the shared generator's scale, when no --from is given;
//   --runs N     (default 3) pairs measured, the medians printed;
//   --server URL a PostgreSQL server where a database may be made (default TEST_POSTGRES_URL);
//   --from FILE  a seeded SQLite file to start from instead of seeding one (it is not changed).
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

export interface PostgresBench {
  /** What the data is, for the printed figures: the generator's scale, or the file it came from. */
  source: string;
  runs: number;
  /** A folder of the bench's own, removed afterwards. */
  at(name: string): string;
  /** The seeded SQLite file (--from, or one seeded here). */
  seeded: string;
  /** The bench's own database, migrated and empty. */
  url: string;
}

/**
 * Parses the arguments, seeds (or takes) the SQLite file, makes and migrates a database of the
 * bench's own on the server, runs `bench`, then drops the database and the folder whatever happened.
 */
export async function withPostgresBench(name: string, bench: (b: PostgresBench) => Promise<void>): Promise<void> {
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

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `labq-bench-${name}-`));
  const at = (file: string) => path.join(dir, file);
  const database = `labq_bench_${randomBytes(4).toString("hex")}`;
  const url = new URL(server);
  url.pathname = `/${database}`;
  try {
    let seeded = values.from;
    if (!seeded) {
      seeded = at("seeded.sqlite3");
      migrateDatabase(seeded);
      withSqlite((db) => seedDemoData(db, scale), seeded);
    }
    await withPostgres(server, (db) => db.query(`CREATE DATABASE "${database}"`));
    await migratePostgres(url.toString());
    const source = values.from ? `from ${values.from}` : `at scale ${scale}`;
    await bench({ source, runs, at, seeded, url: url.toString() });
  } finally {
    await withPostgres(server, (db) => db.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)).catch(
      () => undefined,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const mib = (bytes: number | null | undefined) =>
  bytes == null ? "–" : `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** The middle value (the upper one of an even count). */
export const middle = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The machine's 1-minute load average, as the figures should be read beside it. */
export const loadAverage = () => os.loadavg()[0]!.toFixed(1);
