// Mutation run of the continuous replica (npm run test:mutation:offsite-replica): Litestream's
// configuration and environment, its supervisor, the replica's status (lag, the banner), the
// weekly check and the point-in-time restore. Against the tests that run the real Litestream
// binary in this process (vitest.mutation-offsite-replica.config.ts); its own incremental file
// and reports, beside the other off-site runs'.
import base from "./stryker.http-offsite.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  ...base,
  mutate: ["lib/offsite/replica/*.ts"],
  vitest: { configFile: "vitest.mutation-offsite-replica.config.ts" },
  incrementalFile: "reports/mutation/offsite-replica-incremental.json",
  htmlReporter: { fileName: "reports/mutation/offsite-replica.html" },
  jsonReporter: { fileName: "reports/mutation/offsite-replica.json" },
  concurrency: 1,
  // Added to the covered tests' own time before a mutant counts as hanging (the base's 60 s
  // cost minutes for each mutant that stops the supervisor's state file being written).
  timeoutMS: 20_000,
};
export default config;
