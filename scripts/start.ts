// npm start: bring a missing database back from the replica (BACKUP_REPLICA_URL), migrate
// the database, load demo data when it is empty, build the app if the sources changed
// since the last build, and serve it while Litestream streams every commit to the replica.
// The order matters: Prisma's schema engine cannot migrate while Litestream holds its lock,
// and on a brand-new file Litestream's own tables would make Prisma refuse to migrate at all.
// On PostgreSQL (DATABASE_URL=postgresql://…) our own runner migrates, and there is no
// replica: Litestream streams a SQLite file; PostgreSQL relies on its provider's recovery.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { createAccount } from "@/lib/auth/accounts";
import { rowCounts } from "@/lib/backup/row-counts";
import { runCli } from "@/lib/cli";
import {
  childEnvironment,
  configuredAuthSecret,
  databaseEngine,
  databasePath,
  databaseUrl,
  dataDir,
  isProduction,
  replicaNotApplied,
  replicaSettings,
  startSettings,
  type StartSettings,
} from "@/lib/config";
import { migrateDatabase } from "@/lib/db/migrate";
import { describePostgresUrl } from "@/lib/db/postgres/connection";
import { migratePostgres } from "@/lib/db/postgres/migrate";
import { prisma } from "@/lib/db/prisma";
import { withSqlite } from "@/lib/db/sqlite";
import { formatCount, formatDuration } from "@/lib/format";
import { describeDestination, writeLitestreamConfig } from "@/lib/offsite/replica/config-file";
import { restoreIfMissing } from "@/lib/offsite/replica/restore";
import { superviseReplication, type Supervisor } from "@/lib/offsite/replica/supervisor";
import { seedDemoData } from "@/lib/seed/seed";
import { backedUpRowTotal, seedDemoDataOnPostgres } from "@/lib/seed/seed-postgres";

const require = createRequire(import.meta.url);
const DEMO_SCALE = 500;
/** What the build reads: a change to any of them rebuilds on the next start. */
const SOURCES = [
  "app",
  "components",
  "lib",
  "generated",
  "prisma/schema.prisma",
  "instrumentation.ts",
  "instrumentation-node.ts",
  "next.config.js",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(entry).reduce((max, name) => Math.max(max, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

function buildIfStale(): void {
  const buildId = ".next/BUILD_ID";
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  if (builtAt > 0 && SOURCES.every((s) => newestMtime(s) <= builtAt)) return;
  console.log(builtAt ? "Sources changed since the last build; rebuilding…" : "Building the app (first start)…");
  const result = spawnSync(process.execPath, [require.resolve("next/dist/bin/next"), "build"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("next build failed.");
}

/** Locally a random secret is kept in the data folder; production must configure one. */
function sessionSecret(): string {
  const configured = configuredAuthSecret();
  if (configured) return configured;
  if (isProduction()) {
    throw new Error("NEXTAUTH_SECRET is not set. Production refuses to start without it (openssl rand -base64 32).");
  }
  fs.mkdirSync(dataDir(), { recursive: true });
  const file = path.join(dataDir(), ".nextauth-secret");
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

/** The database `npm start` serves: a SQLite file or a PostgreSQL server. */
type Database = { engine: "sqlite"; file: string } | { engine: "postgresql"; url: string };

async function rowTotal(database: Database): Promise<number> {
  if (database.engine === "sqlite") return rowCounts(database.file).reduce((n, c) => n + c.rows, 0);
  return backedUpRowTotal(prisma());
}

async function seed(database: Database): Promise<Record<string, number>> {
  if (database.engine === "sqlite") return withSqlite((db) => seedDemoData(db, DEMO_SCALE), database.file);
  return seedDemoDataOnPostgres(prisma(), DEMO_SCALE);
}

/** Whether the database was empty, and the staff account to print (a generated password), if any. */
async function loadDemoDataIfEmpty(
  database: Database,
  settings: StartSettings,
): Promise<{ wasEmpty: boolean; account: string | null }> {
  if ((await rowTotal(database)) > 0) return { wasEmpty: false, account: null };
  if (settings.seedDemoData) {
    const counts = await seed(database);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`Empty database: loaded ${formatCount(total)} rows of demo data.`);
  }
  const { username, password: given } = settings.initialAdmin;
  if (!given && isProduction()) {
    // A generated password would end up in the service's logs: ask for an explicit account instead.
    console.log("No staff account yet. Create one: npm run user:create -- --username NAME --staff");
    return { wasEmpty: true, account: null };
  }
  const password = given ?? randomBytes(12).toString("base64url");
  await createAccount({ username, password, staff: true, superuser: true });
  return { wasEmpty: true, account: given ? null : `${username} / ${password}` };
}

/**
 * - --expose-gc: a finished download's buffers are collected at once (lib/http/memory.ts).
 * - --max-semi-space-size=4 (MiB; Node 20's default is 16): a download's chunks live and die
 *   young, and V8 otherwise lets its young generation grow to ~48 MiB during one. Measured at
 *   300k rows, three servers each: peak during a .json.gz export 180 against 200 MiB, a plain
 *   export 201 against 215 MiB, equally fast (9.6 s plain both ways).
 * - --heap-growing-percent=100: after that full collection V8 sets the old generation's limit
 *   only a little above what survived (36 of 48 MB in --trace-incremental-marking), so every
 *   later export ran 22–34 full collections: 100k .json.gz, server CPU 2.6–2.8 s before the
 *   first collection and 3.4–3.9 s after. Letting the limit grow by 100% brought it to 0–1
 *   full collection per export (CPU ~3.1 s), peaks ≤ 184 MiB.
 */
const SERVER_NODE_FLAGS = [
  "--expose-gc",
  "--max-semi-space-size=4",
  "--heap-growing-percent=100",
  // Tells route handlers the TCP peer's address (rate limits without a trusted proxy).
  "--require",
  path.resolve("scripts/socket-address.cjs"),
];

interface ReplicaRestore {
  config: string | null;
  /** BACKUP_REPLICA_URL is set, the file was missing, and the replica had nothing to restore. */
  replicaWasEmpty: boolean;
}

/** A new instance on an empty disk comes back from the replica by itself, and says so. */
async function restoreMissingDatabase(file: string): Promise<ReplicaRestore> {
  const replica = replicaSettings();
  if (!replica) return { config: null, replicaWasEmpty: false };
  const config = writeLitestreamConfig(file, replica);
  const started = Date.now();
  const missing = !fs.existsSync(file);
  if (await restoreIfMissing(file, config, replica)) {
    const where = describeDestination(replica);
    console.log(
      `The database file was missing: restored it from the replica (${where}) in ${formatDuration(Date.now() - started)}.`,
    );
  }
  return { config, replicaWasEmpty: missing && !fs.existsSync(file) };
}

/**
 * Loud, because it may be a mistake: a new instance whose replica setting points at the wrong
 * bucket or path finds nothing there, and would otherwise start empty without a word. (The very
 * first start of a lab also lands here, and then it is expected.)
 */
function emptyReplicaWarning(replica: NonNullable<ReturnType<typeof replicaSettings>>): string {
  const where = describeDestination(replica);
  const line = "!".repeat(78);
  return [
    line,
    `WARNING: no replica found at ${where} (BACKUP_REPLICA_URL), and the database file was missing.`,
    "This server started with a NEW, EMPTY database (demo data, if enabled), not the lab's data.",
    "If this lab has data, stop the server and check BACKUP_REPLICA_URL and its credentials.",
    "If this is the lab's first start, carry on: every change is replicated from now on.",
    line,
  ].join("\n");
}

function startReplication(config: string | null): Supervisor | null {
  const replica = replicaSettings();
  if (!config || !replica) return null;
  console.log(`Replicating every change to ${describeDestination(replica)} (Litestream).`);
  return superviseReplication({ configFile: config, settings: replica });
}

/** Brings the SQLite file back if needed, migrates it, and returns what replication needs. */
async function prepareSqlite(file: string): Promise<ReplicaRestore> {
  console.log(`Database: ${file}`);
  const restored = await restoreMissingDatabase(file);
  migrateDatabase(file);
  return restored;
}

async function preparePostgres(url: string): Promise<void> {
  console.log(`Database: ${describePostgresUrl(url)} (PostgreSQL)`);
  const replica = replicaNotApplied();
  if (replica) {
    // Starting anyway: the setting is harmless here, and refusing would stop a lab that moved
    // to PostgreSQL (npm run db:move) and still has it set. Saying so keeps nobody believing
    // in a replica that does not exist.
    console.log(
      `BACKUP_REPLICA_URL is set (${describeDestination(replica)}), but the replica does not apply to PostgreSQL: ` +
        "Litestream streams a SQLite file, so nothing is replicated. Rely on your PostgreSQL provider's " +
        "point-in-time recovery and on exports (docs/operations.md); remove BACKUP_REPLICA_URL to silence this.",
    );
  }
  const applied = await migratePostgres(url);
  if (applied.length > 0) console.log(`Applied ${formatCount(applied.length)} migrations.`);
}

runCli(async () => {
  const url = databaseUrl();
  const database: Database =
    databaseEngine(url) === "postgresql" ? { engine: "postgresql", url } : { engine: "sqlite", file: databasePath() };
  const secret = sessionSecret();
  const restore = database.engine === "sqlite" ? await prepareSqlite(database.file) : null;
  if (database.engine === "postgresql") await preparePostgres(database.url);
  const settings = startSettings();
  const { wasEmpty, account } = await loadDemoDataIfEmpty(database, settings);
  // The start-up checks are done: the server opens its own connections.
  if (database.engine === "postgresql") await prisma().$disconnect();
  const replica = replicaSettings();
  const warning = restore?.replicaWasEmpty && wasEmpty && replica ? emptyReplicaWarning(replica) : null;
  if (warning) console.warn(warning);
  buildIfStale();
  const replication = startReplication(restore?.config ?? null);
  const { port } = settings;
  const next = [require.resolve("next/dist/bin/next"), "start", "-p", port];
  const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...next], {
    stdio: "inherit",
    // Render publishes the service's public address; sign-in redirects must use it.
    env: childEnvironment({
      NEXTAUTH_SECRET: secret,
      NEXTAUTH_URL: settings.publicUrl,
      DATABASE_URL: database.engine === "sqlite" ? `file:${database.file}` : database.url,
    }),
  });
  const signIn = `http://localhost:${port}/signin`;
  console.log(`\nLab Queue Admin is starting at ${signIn}`);
  if (account) console.log(`Sign in as ${account}  (the password is shown only this once)\n`);
  // Again after the build's output, where it cannot scroll by unseen.
  if (warning) console.warn(warning);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      replication?.shuttingDown();
      server.kill(signal);
    });
  }
  const code = await new Promise<number>((resolve) => server.on("exit", (code) => resolve(code ?? 0)));
  // Litestream goes last: it ships whatever the server wrote before it stopped.
  await replication?.stop();
  return code;
});
