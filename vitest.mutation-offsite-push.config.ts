// The tests a mutation run of backup:push and the off-site targets uses
// (stryker.offsite-push.config.mjs): quick in-process tests of each part. The push suite's
// simulated weeks of retention and its CLI restores (tests/integration/offsite/push.test.ts)
// stay out: each surviving mutant would run them all.
import { defineConfig } from "vitest/config";

import mutation from "./vitest.mutation.config";

const config = defineConfig(mutation);
// Replaced, not merged: mergeConfig would add these to the whole suite's include.
config.test = {
  ...config.test,
  exclude: ["**/node_modules/**"],
  include: [
    "tests/integration/offsite/push-steps.test.ts",
    "tests/integration/offsite/github.test.ts",
    "tests/unit/offsite/targets.test.ts",
  ],
};
export default config;
