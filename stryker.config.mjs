// Mutation testing of the backup engine and the staff checks (npm run test:mutation): Stryker
// changes one line at a time (a condition flipped, a check removed, a number off by one) and
// runs the tests that cover it; a mutant that survives is a safety check no test proves.
// Incremental: re-runs only mutate and test what changed since reports/mutation/incremental.json.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: "vitest",
  vitest: { configFile: "vitest.config.ts" },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: ["lib/backup/**/*.ts", "lib/auth/**/*.ts", "!**/*.test.ts"],
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
