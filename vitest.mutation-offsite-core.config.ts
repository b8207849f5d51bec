// The tests a mutation run of the off-site core uses (stryker.offsite-core.config.mjs): the
// in-process tests that reach encryption, retention, s3:// sources, the status bodies and the
// S3 target, quick enough for two shared cores. The CLIs' tests (encryption.test.ts) run in a
// child process and cannot kill a mutant; push.test.ts is left out for its twenty simulated days.
import { defineConfig } from "vitest/config";

import mutation from "./vitest.mutation.config";

const config = defineConfig(mutation);
// Replaced, not merged: mergeConfig would add these to the whole suite's include.
config.test = {
  ...config.test,
  exclude: ["**/node_modules/**"],
  include: [
    "tests/unit/offsite/**/*.test.ts",
    "tests/integration/offsite/cloud-check.test.ts",
    "tests/integration/offsite/watch.test.ts",
    "tests/integration/offsite/replica-status.test.ts",
    "tests/integration/offsite/encryption-files.test.ts",
    "tests/integration/offsite/s3-target.test.ts",
    "tests/integration/offsite/s3-source.test.ts",
    "tests/integration/offsite/status-report.test.ts",
    "tests/integration/backup/upload-lifetime.test.ts",
  ],
};
export default config;
