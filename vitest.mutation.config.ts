// Mutation runs (stryker.config.mjs) run the tests covering each mutant, once per mutant, and
// stop at the first failure. The same tests as vitest.config.ts, with two changes for that:
// - the file that failed last and then the quickest files run first (quick-first-sequencer);
// - tests that cannot kill a mutant are left out: those whose work runs in a child process
//   (the CLI, migrations: StrykerJS switches mutants inside the test process only) and the
//   off-site suites (lib/offsite is not mutated; its tests reach the engine only on the way).
// Test files stay isolated (a fresh module graph each): sharing modules between files was 15 %
// quicker but tied coverage to the wrong tests, so mutants that tests do kill were reported
// as survivors.
import { defineConfig, mergeConfig } from "vitest/config";

import QuickFirstSequencer from "./tests/support/quick-first-sequencer";
import base from "./vitest.config";

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        ...(base.test?.exclude ?? []),
        "tests/integration/backup/restore-cli.test.ts",
        "tests/integration/backup/export-cli.test.ts",
        "tests/integration/db/migrate.test.ts",
        "tests/integration/offsite/**",
      ],
      sequence: { sequencer: QuickFirstSequencer },
    },
  }),
);
