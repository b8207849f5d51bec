// Mutation run of backup:push and the off-site targets it chooses and reads
// (npm run test:mutation:offsite-push): push.ts (make, verify, encrypt, upload, retention, the
// stored report, what History records), targets/target.ts, targets/index.ts, targets/github.ts.
// Against the quick in-process tests of those parts only (vitest.mutation-offsite-push.config.ts):
// the whole push suite simulates twenty days of pushes, minutes a mutant on two shared cores.
import base from "./stryker.http-offsite.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  ...base,
  mutate: [
    "lib/offsite/push.ts",
    "lib/offsite/targets/target.ts",
    "lib/offsite/targets/index.ts",
    "lib/offsite/targets/github.ts",
  ],
  vitest: { configFile: "vitest.mutation-offsite-push.config.ts" },
  concurrency: 1,
  incrementalFile: "reports/mutation/offsite-push-incremental.json",
  htmlReporter: { fileName: "reports/mutation/offsite-push.html" },
  jsonReporter: { fileName: "reports/mutation/offsite-push.json" },
};
export default config;
