// Operations tests: the weekly backup script and the restore drill, end to end against
// the real app. They run after the e2e suite (the app is built by then).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["tests/ops/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: "forks",
  },
});
