// Mutation testing of the backup engine and the staff checks (npm run test:mutation): Stryker
// changes one line at a time (a condition flipped, a check removed, a number off by one) and
// runs the tests that cover it; a mutant that survives is a safety check no test proves.
// Incremental: re-runs only mutate and test what changed since reports/mutation/incremental.json.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  // No TypeScript checker: on two cores it took ~5 s a mutant while the test runner idled (10
  // mutants a minute). Without it a mutant that would not compile runs the tests like any
  // other; nearly all fail at once, and a survivor among them is read, not counted blindly.
  checkers: [],
  mutate: [
    "lib/backup/**/*.ts",
    "lib/db/engine/**/*.ts",
    "lib/db/stored-datetime.ts",
    "lib/auth/**/*.ts",
    "!**/*.test.ts",
  ],
  coverageAnalysis: "perTest",
  incremental: true,
  incrementalFile: "reports/mutation/incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  concurrency: 2,
  timeoutMS: 60_000,
  thresholds: { high: 90, low: 85, break: null },
  ignoreStatic: true,
  tempDirName: ".stryker-tmp",
};
export default config;
