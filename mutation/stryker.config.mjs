// StrykerJS for one run of mutation/runs.mjs (npm run test:mutation -- <run>; "backup" when none
// is named): it changes one line at a time (a condition flipped, a check removed, a number off
// by one) and runs the tests that cover it; a mutant that survives is behaviour no test proves.
// Incremental: a mutant is retested only when its code or a test file covering it changed.
import { RUNS } from "./runs.mjs";

const name = process.env.MUTATION_RUN || "backup";
const run = RUNS[name];
if (!run) throw new Error(`No mutation run "${name}"; the runs: ${Object.keys(RUNS).join(", ")}.`);
const report = `reports/mutation/${run.report}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: "vitest",
  // The tests come from the run, through MUTATION_RUN, which the test runners inherit.
  vitest: { configFile: "mutation/vitest.config.ts" },
  // No TypeScript checker: on two cores it took ~5 s a mutant while the test runner idled (10
  // mutants a minute). Without it a mutant that would not compile runs the tests like any
  // other; nearly all fail at once, and a survivor among them is read, not counted blindly.
  checkers: [],
  mutate: [...run.mutate, "!**/*.test.ts"],
  coverageAnalysis: "perTest",
  incremental: true,
  incrementalFile: run.report === "mutation" ? "reports/mutation/incremental.json" : `${report}-incremental.json`,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: run.report === "mutation" ? "reports/mutation/index.html" : `${report}.html` },
  jsonReporter: { fileName: `${report}.json` },
  concurrency: run.concurrency ?? 2,
  timeoutMS: run.timeoutMS ?? 60_000,
  thresholds: { high: 90, low: 85, break: null },
  ignoreStatic: true,
  tempDirName: ".stryker-tmp",
};
export default config;
