// Mutation run of the HTTP edge and the off-site code (npm run test:mutation:http-offsite):
// bearer keys, client addresses, same-origin checks, download streams, and what is pushed,
// listed, verified and reported off-site. Its own incremental file and reports, beside the
// main run's. Scope it on two cores: `npm run test:mutation:http-offsite -- --mutate "lib/http/**/*.ts"`.
import base from "./stryker.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  ...base,
  mutate: ["lib/http/**/*.ts", "lib/offsite/**/*.ts", "!**/*.test.ts"],
  vitest: { configFile: "vitest.mutation-http-offsite.config.ts" },
  incrementalFile: "reports/mutation/http-offsite-incremental.json",
  htmlReporter: { fileName: "reports/mutation/http-offsite.html" },
  jsonReporter: { fileName: "reports/mutation/http-offsite.json" },
};
export default config;
