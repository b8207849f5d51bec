// The tests of one mutation run (mutation/runs.mjs, named by MUTATION_RUN), run once per mutant
// and stopped at the first failure. The same tests as vitest.config.ts, with two changes for that:
// - the file that failed last and then the quickest files run first (quick-first-sequencer);
// - only the run's tests (or the whole suite but the run's `skip`).
// Test files stay isolated (a fresh module graph each): sharing modules between files was 15 %
// quicker but tied coverage to the wrong tests, so mutants that tests do kill were reported
// as survivors.
import { defineConfig, mergeConfig } from "vitest/config";

import QuickFirstSequencer from "../tests/support/quick-first-sequencer";
import base from "../vitest.config";
import { RUNS } from "./runs.mjs";

const run = RUNS[process.env.MUTATION_RUN || "backup"]!;

const config = mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [...(base.test?.exclude ?? []), ...(run.skip ?? [])],
      sequence: { sequencer: QuickFirstSequencer },
      ...(run.testTimeout ? { testTimeout: run.testTimeout, hookTimeout: run.testTimeout } : {}),
    },
  }),
);
// Replaced, not merged: mergeConfig would add a run's tests to the whole suite's include.
if (run.tests)
  config.test = { ...config.test, include: run.tests, exclude: ["**/node_modules/**", ...(run.skip ?? [])] };
export default config;
