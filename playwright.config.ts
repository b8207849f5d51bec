import { defineConfig } from "@playwright/test";

import { E2E } from "./e2e/support/env";
import { browserPath } from "./lib/config";

export default defineConfig({
  testDir: "e2e",
  // The restore drill's smoke test runs against its own server (scripts/restore-drill.sh), and
  // the PostgreSQL specs against theirs (playwright.postgres.config.ts).
  testIgnore: ["drill/**", "postgresql/**"],
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // At load ~17 a few specs took past 60 s (axe on every admin page, a whole restore).
  timeout: 120_000,
  reporter: [["list"]],
  use: {
    baseURL: E2E.baseUrl,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: browserPath(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: [
    {
      // A real S3-protocol server for the Cloud Backups card.
      command: `node e2e/support/s3-server.mjs ${E2E.s3.port} ${E2E.s3.dir} ${E2E.s3.bucket}`,
      url: `http://127.0.0.1:${Number(E2E.s3.port) + 1}/`,
      timeout: 30_000,
      reuseExistingServer: false,
    },
    {
      // The real start path, on a throw-away database and data folder.
      command: `rm -rf ${E2E.dir} && npm start`,
      url: `${E2E.baseUrl}/signin`,
      // The first start builds the app: past 5 min on a machine at load ~16.
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: E2E.serverEnv,
    },
  ],
});
