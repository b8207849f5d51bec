// System tests against the real, built app (`npm start`): access control, crashes, load,
// hostile files, a full disk; and the operations scripts (weekly backup, restore drill).
// They run after the e2e suite, which builds the app.
import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["tests/system/**/*.test.ts", "tests/ops/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: "forks",
  },
});
