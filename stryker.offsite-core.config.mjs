// Mutation run of the off-site core (npm run test:mutation:offsite-core): age encryption and
// the encrypted export, retention (which backups a push deletes), s3:// sources, the status and
// report bodies for automation, and the S3 target. Against the quick in-process tests that reach
// them (push.test.ts's twenty simulated days stay out: focused tests reach the same code).
import base from "./stryker.http-offsite.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  ...base,
  mutate: [
    "lib/offsite/encryption.ts",
    "lib/offsite/encrypted-export.ts",
    "lib/offsite/retention.ts",
    "lib/offsite/source.ts",
    "lib/offsite/http.ts",
    "lib/offsite/targets/s3.ts",
  ],
  vitest: { configFile: "vitest.mutation-offsite-core.config.ts" },
  concurrency: 1,
  incrementalFile: "reports/mutation/offsite-core-incremental.json",
  htmlReporter: { fileName: "reports/mutation/offsite-core.html" },
  jsonReporter: { fileName: "reports/mutation/offsite-core.json" },
};
export default config;
