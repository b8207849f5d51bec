// The tests a mutation run of the continuous replica uses (stryker.offsite-replica.config.mjs):
// the ones that import lib/offsite/replica and run its code in this process, against the real
// Litestream binary (file:// replicas, and s3rver on loopback). The CLI steps of the
// point-in-time test run in a child process and cannot kill a mutant; its in-process parts can.
import { defineConfig } from "vitest/config";

import mutation from "./vitest.mutation.config";

const config = defineConfig(mutation);
// Replaced, not merged: mergeConfig would add these to the whole suite's include.
config.test = {
  ...config.test,
  exclude: ["**/node_modules/**", "tests/integration/offsite/replica-point-in-time.test.ts"],
  // A mutant that breaks Litestream's supervision makes a test wait for what never comes: 30 s
  // ends it (the whole suite's 60 s let one mutant hold the only runner for minutes).
  testTimeout: 30_000,
  hookTimeout: 30_000,
  include: [
    "tests/unit/offsite/replica-*.test.ts",
    "tests/unit/offsite/status-body.test.ts",
    "tests/unit/config/litestream-config.test.ts",
    "tests/integration/offsite/replica-*.test.ts",
  ],
};
export default config;
