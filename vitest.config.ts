import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["tests/**/*.test.ts", "lib/**/*.test.ts"],
    exclude: ["tests/system/**", "tests/ops/**", "**/node_modules/**"],
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // At least two files at once: Vitest's default (one fewer than the cores) ran them one by one
    // on a 2-core machine, 9.2 min, though most of them wait on Litestream, s3rver, child
    // processes and timers rather than compute. Two: 5.4 min, the same 1,043 tests passing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
