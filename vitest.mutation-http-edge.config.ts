// The tests a mutation run of the HTTP edge's checks uses (stryker.http-edge.config.mjs): the
// unit tests of lib/http and the route wrappers' and API's answers, quick enough to run on two
// shared cores in minutes. The whole of lib/http and lib/offsite: stryker.http-offsite.config.mjs.
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
    "tests/integration/backup/api-answers.test.ts",
  ],
};
export default config;
