// The tests a mutation run of lib/http and lib/offsite uses (stryker.http-offsite.config.mjs):
// the ones that import that code, in this process. The off-site suites are in here (the main
// mutation run leaves them out: they reach lib/backup only on the way); tests whose work runs
// in a child process (the CLIs, system tests) cannot kill a mutant and stay out.
import { defineConfig } from "vitest/config";

import mutation from "./vitest.mutation.config";

const config = defineConfig(mutation);
// Replaced, not merged: mergeConfig would add these to the whole suite's include.
config.test = {
  ...config.test,
  exclude: ["**/node_modules/**"],
  include: [
    "tests/unit/http/**/*.test.ts",
    "tests/unit/offsite/**/*.test.ts",
    "tests/unit/config/litestream-config.test.ts",
    "tests/integration/auth/route-wrappers.test.ts",
    "tests/integration/auth/sign-in-throttle.test.ts",
    "tests/integration/backup/api.test.ts",
    "tests/integration/backup/api-answers.test.ts",
    "tests/integration/backup/downloads-and-uploads.test.ts",
    "tests/integration/backup/export-queue.test.ts",
    "tests/integration/offsite/**/*.test.ts",
  ],
};
export default config;
