// npm run test:mutation -- [RUN] [StrykerJS options]: one run of mutation/runs.mjs ("backup" when
// none is named), e.g. `npm run test:mutation -- offsite-push --mutate "lib/offsite/push.ts:60-90"`.
// `npm run test:mutation -- --list` names the runs.
import { spawnSync } from "node:child_process";

import { RUNS } from "./runs.mjs";

const args = process.argv.slice(2);
if (args[0] === "--list") {
  for (const [name, run] of Object.entries(RUNS)) console.log(`${name.padEnd(16)} ${run.about}`);
  process.exit(0);
}
const named = args[0] !== undefined && !args[0].startsWith("-");
const name = named ? args[0] : "backup";
if (!RUNS[name]) {
  console.error(`No mutation run "${name}". The runs: ${Object.keys(RUNS).join(", ")} (--list says what each covers).`);
  process.exit(2);
}
const result = spawnSync("stryker", ["run", "mutation/stryker.config.mjs", ...(named ? args.slice(1) : args)], {
  stdio: "inherit",
  env: { ...process.env, MUTATION_RUN: name },
});
process.exit(result.status ?? 1);
