// The tests a mutation run of the rest of lib/http uses (stryker.http-rest.config.mjs): the
// unit tests of lib/http and the in-process tests of the downloads (export, snapshot, file,
// the API route), quick enough to run on two shared cores in minutes.
import { defineConfig } from "vitest/config";

import mutation from "./vitest.mutation.config";

const config = defineConfig(mutation);
// Replaced, not merged: mergeConfig would add these to the whole suite's include.
config.test = {
  ...config.test,
  exclude: ["**/node_modules/**"],
  include: [
    "tests/unit/http/**/*.test.ts",
    "tests/integration/auth/route-wrappers.test.ts",
    "tests/integration/backup/api.test.ts",
    "tests/integration/backup/api-answers.test.ts",
    "tests/integration/backup/download-answers.test.ts",
    "tests/integration/backup/downloads-and-uploads.test.ts",
    "tests/integration/backup/export-edges.test.ts",
    "tests/integration/backup/export-queue.test.ts",
  ],
};
export default config;
