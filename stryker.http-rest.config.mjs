// Mutation run of the rest of lib/http (npm run test:mutation:http-rest): the export and
// snapshot downloads, their concurrency gate, the streamed body and its end, file downloads'
// headers, gzip in transit, the collection after downloads, the answer while a restore runs,
// the JSON error. The security checks of lib/http are stryker.http-edge.config.mjs's.
import base from "./stryker.http-offsite.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  ...base,
  mutate: [
    "lib/http/export.ts",
    "lib/http/snapshot.ts",
    "lib/http/concurrency.ts",
    "lib/http/stream-body.ts",
    "lib/http/file-download.ts",
    "lib/http/gzip-in-transit.ts",
    "lib/http/memory.ts",
    "lib/http/maintenance.ts",
    "lib/http/json.ts",
  ],
  vitest: { configFile: "vitest.mutation-http-rest.config.ts" },
  incrementalFile: "reports/mutation/http-rest-incremental.json",
  htmlReporter: { fileName: "reports/mutation/http-rest.html" },
  jsonReporter: { fileName: "reports/mutation/http-rest.json" },
  // Four sessions share two cores.
  concurrency: 1,
};
export default config;
