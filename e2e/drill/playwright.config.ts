// The restore drill's smoke test (scripts/restore-drill.sh): the app served on the
// scratch database the drill restored, not on the e2e suite's database.
import { randomBytes } from "node:crypto";

import { defineConfig } from "@playwright/test";

import base from "../../playwright.config";

const port = process.env.DRILL_PORT ?? "3218";

export default defineConfig({
  ...base,
  testDir: ".",
  testMatch: "*.drill.ts",
  testIgnore: [],
  use: { ...base.use, baseURL: `http://localhost:${port}` },
  webServer: {
    command: "npm start",
    url: `http://localhost:${port}/signin`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: { PORT: port, NEXTAUTH_SECRET: randomBytes(24).toString("base64"), SEED_DEMO_DATA: "0" },
  },
});
