// The smoke specs on PostgreSQL (e2e/postgresql): the real Next server started by `npm start`
// with DATABASE_URL on a fresh database of the server TEST_POSTGRES_URL names (.ci/run starts a
// private cluster and sets it). Without TEST_POSTGRES_URL the specs are skipped, saying why, on a
// developer's machine; in CI a missing server fails the run.
import { defineConfig } from "@playwright/test";

import { E2E_POSTGRES } from "./e2e/support/postgres-env";
import base from "./playwright.config";

if (!E2E_POSTGRES.serverUrl && E2E_POSTGRES.mustRun) {
  throw new Error("TEST_POSTGRES_URL is not set, and CI must run the PostgreSQL e2e specs (see .ci/run).");
}

export default defineConfig({
  ...base,
  testDir: "e2e/postgresql",
  testIgnore: [],
  use: { ...base.use, baseURL: E2E_POSTGRES.baseUrl },
  globalTeardown: "./e2e/support/postgres-teardown.ts",
  webServer: E2E_POSTGRES.serverUrl
    ? [
        {
          command: [
            `rm -rf ${E2E_POSTGRES.dir}`,
            `node e2e/support/postgres-database.mjs create '${E2E_POSTGRES.serverUrl}' ${E2E_POSTGRES.database}`,
            "npm start",
          ].join(" && "),
          url: `${E2E_POSTGRES.baseUrl}/signin`,
          timeout: 600_000,
          reuseExistingServer: false,
          stdout: "pipe",
          env: E2E_POSTGRES.serverEnv,
        },
      ]
    : [],
});
