// Mutation run of the HTTP edge's security checks (npm run test:mutation:http-edge): bearer
// keys by purpose, constant-time comparison, the failure limiter and client address, the
// same-origin check, the socket-address marker. Against their own quick tests, so it finishes
// in minutes on two shared cores; stryker.http-offsite.config.mjs runs the whole of lib/http
// and lib/offsite with every test that imports them (an hour or more there).
import base from "./stryker.http-offsite.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  ...base,
  mutate: [
    "lib/http/bearer.ts",
    "lib/http/constant-time.ts",
    "lib/http/rate-limit.ts",
    "lib/http/same-origin.ts",
    "lib/http/socket-address.ts",
  ],
  vitest: { configFile: "vitest.mutation-http-edge.config.ts" },
  incrementalFile: "reports/mutation/http-edge-incremental.json",
  htmlReporter: { fileName: "reports/mutation/http-edge.html" },
  jsonReporter: { fileName: "reports/mutation/http-edge.json" },
};
export default config;
