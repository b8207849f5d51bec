// The tests a mutation run of lib/backup/format uses (stryker.format.config.mjs): the format's
// unit tests, reading and refusing real and damaged backups, and the record text of exports.
import { defineConfig } from "vitest/config";

import mutation from "./vitest.mutation.config";

const config = defineConfig(mutation);
// Replaced, not merged: mergeConfig would add these to the whole suite's include.
config.test = {
  ...config.test,
  include: [
    "tests/unit/backup/**/*.test.ts",
    "tests/integration/compat/damaged-backups.test.ts",
    "tests/integration/compat/django-real-backups.test.ts",
    "tests/integration/backup/record-text.test.ts",
    "tests/integration/backup/verify-report.test.ts",
    "tests/integration/backup/verify-source.test.ts",
    "tests/integration/backup/export-edges.test.ts",
  ],
};
export default config;
