// npm start: bring a missing database back from the replica (BACKUP_REPLICA_URL), migrate
// the SQLite database, load demo data when it is empty, build the app if the sources changed
// since the last build, and serve it while Litestream streams every commit to the replica.
// The order matters: Prisma's schema engine cannot migrate while Litestream holds its lock,
// and on a brand-new file Litestream's own tables would make Prisma refuse to migrate at all.
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
  databasePath,
  dataDir,
  isProduction,
  replicaSettings,
  startSettings,
  type StartSettings,
} from "@/lib/config";
import { migrateDatabase } from "@/lib/db/migrate";
import { withSqlite } from "@/lib/db/sqlite";
import { formatCount, formatDuration } from "@/lib/format";
import { describeDestination, writeLitestreamConfig } from "@/lib/offsite/replica/config-file";
import { restoreIfMissing } from "@/lib/offsite/replica/restore";
import { superviseReplication, type Supervisor } from "@/lib/offsite/replica/supervisor";
import { seedDemoData } from "@/lib/seed/seed";

const require = createRequire(import.meta.url);
const DEMO_SCALE = 500;
const SOURCES = [
  "app",
  "components",
  "lib",
  "generated",
  "prisma/schema.prisma",
  "next.config.js",
  "postcss.config.mjs",
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

async function loadDemoDataIfEmpty(file: string, settings: StartSettings): Promise<string | null> {
  const rows = rowCounts(file).reduce((n, c) => n + c.rows, 0);
  if (rows > 0) return null;
  if (settings.seedDemoData) {
    const counts = withSqlite((db) => seedDemoData(db, DEMO_SCALE), file);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`Empty database: loaded ${formatCount(total)} rows of demo data.`);
  }
  const { username, password: given } = settings.initialAdmin;
  if (!given && isProduction()) {
    // A generated password would end up in the service's logs: ask for an explicit account instead.
    console.log("No staff account yet. Create one: npm run user:create -- --username NAME --staff");
    return null;
  }
  const password = given ?? randomBytes(12).toString("base64url");
  await createAccount({ username, password, staff: true, superuser: true });
  return given ? null : `${username} / ${password}`;
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

/** A new instance on an empty disk comes back from the replica by itself, and says so. */
async function restoreMissingDatabase(file: string): Promise<string | null> {
  const replica = replicaSettings();
  if (!replica) return null;
  const config = writeLitestreamConfig(file, replica);
  const started = Date.now();
  if (await restoreIfMissing(file, config, replica)) {
    const where = describeDestination(replica);
    console.log(
      `The database file was missing: restored it from the replica (${where}) in ${formatDuration(Date.now() - started)}.`,
    );
  }
  return config;
}

function startReplication(config: string | null): Supervisor | null {
  const replica = replicaSettings();
  if (!config || !replica) return null;
  console.log(`Replicating every change to ${describeDestination(replica)} (Litestream).`);
  return superviseReplication({ configFile: config, settings: replica });
}

runCli(async () => {
  const file = databasePath();
  const secret = sessionSecret();
  console.log(`Database: ${file}`);
  const replicaConfig = await restoreMissingDatabase(file);
  migrateDatabase(file);
  const settings = startSettings();
  const account = await loadDemoDataIfEmpty(file, settings);
  buildIfStale();
  const replication = startReplication(replicaConfig);
  const { port } = settings;
  const next = [require.resolve("next/dist/bin/next"), "start", "-p", port];
  const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...next], {
    stdio: "inherit",
    // Render publishes the service's public address; sign-in redirects must use it.
    env: childEnvironment({ NEXTAUTH_SECRET: secret, NEXTAUTH_URL: settings.publicUrl, DATABASE_URL: `file:${file}` }),
  });
  const url = `http://localhost:${port}/signin`;
  console.log(`\nLab Queue Admin is starting at ${url}`);
  if (account) console.log(`Sign in as ${account}  (the password is shown only this once)\n`);
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
