// The PostgreSQL e2e server's settings (playwright.postgres.config.ts): the real `npm start` on
// a fresh database of the server TEST_POSTGRES_URL names, made for this run and named after
// its port so parallel runs on one server do not collide.
import path from "node:path";

import { E2E } from "./env";

const serverUrl = process.env.TEST_POSTGRES_URL?.trim() || undefined;
const port = String(Number(E2E.port) + 3000);
const database = `labq_e2e_${port}`;

function databaseUrl(): string | undefined {
  if (!serverUrl) return undefined;
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const dir = path.resolve(".tmp/e2e-postgres");

export const E2E_POSTGRES = {
  serverUrl,
  /** In CI the PostgreSQL specs must run: a missing server fails the run instead of skipping. */
  mustRun: /^(1|true)$/i.test(process.env.CI ?? ""),
  database,
  databaseUrl: databaseUrl(),
  port,
  baseUrl: `http://localhost:${port}`,
  dir,
  serverEnv: {
    ...E2E.serverEnv,
    DATABASE_URL: databaseUrl() ?? "",
    DATA_DIR: path.join(dir, "data"),
    PORT: port,
    // No Cloud Backups here: the SQLite suite covers them, and they do not depend on the engine.
    BACKUP_S3_URL: "",
    BACKUP_S3_ENDPOINT: "",
    // Left over from SQLite days, as after a move: it does not apply to PostgreSQL, and the app
    // must work regardless (npm start says so; no page may look for a SQLite replica).
    BACKUP_REPLICA_URL: `file://${path.join(dir, "replica")}`,
  },
};
