// node scripts/done-when-mutations.mjs [--only TEXT] [--no-baseline]
//
// Issue 43's "Done when": each of these mutations of the restore's last-line checks must make
// `npx vitest run` fail. For each, this script edits the source in place (the exact text must
// be found once, or the script stops: a mutation that no longer applies proves nothing), runs
// the test files that cover that check, puts the source back (also on Ctrl-C), and reports
// "caught" when they fail. A failing subset is a failing `npx vitest run`: these files are
// part of it. First, unless --no-baseline, the same files must pass unmutated, so a failure
// is the mutation's and not the machine's. Exits 1 when any mutation survives.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// The restore's one transaction, written once for every engine, and SQLite's side of the seam.
const TRANSACTION = "lib/backup/restore/session-transaction.ts";
const SQLITE_SESSION = "lib/db/engine/sqlite/write.ts";
const RESTORE = "lib/backup/restore/restore.ts";

const MUTATIONS = [
  {
    name: "quick_check replaced by ok",
    file: SQLITE_SESSION,
    from: 'const result = this.db.pragma("quick_check", { simple: true });',
    to: 'const result = "ok";',
    tests: ["tests/integration/backup/last-checks.test.ts"],
  },
  {
    name: "free disk never measured",
    file: RESTORE,
    from: "const free = freeDiskBytes(dataDir());",
    to: "const free = null;",
    tests: [
      "tests/integration/backup/restore-free-disk-boundary.test.ts",
      "tests/integration/backup/restore-stops.test.ts",
    ],
  },
  {
    name: "row-count check removed",
    file: TRANSACTION,
    from: "if (inTables !== inFile)",
    to: "if (false)",
    tests: ["tests/integration/backup/last-checks.test.ts"],
  },
  {
    name: "foreign-key check skipped",
    file: TRANSACTION,
    from: "const broken = await session.brokenReferences();",
    to: "const broken = null;",
    tests: ["tests/integration/backup/last-checks.test.ts", "tests/integration/backup/foreign-keys.test.ts"],
  },
  {
    name: "COMMIT after a failed check",
    file: RESTORE,
    // Whatever stopped the transaction (a failed last check throws RestoreAborted) is committed
    // before the session closes.
    from: "  } finally {\n    await session.close();",
    to: "  } finally {\n    await session.commit().catch(() => {});\n    await session.close();",
    tests: ["tests/integration/backup/last-checks.test.ts"],
  },
  {
    name: "COMMIT without the safety snapshot",
    file: TRANSACTION,
    from: 'if (!("failed" in safety)) return safety;',
    to: "if (true) return safety;",
    tests: ["tests/integration/backup/restore-stops.test.ts"],
  },
];

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
const chosen = MUTATIONS.filter((m) => !only || m.name.includes(only));

function vitest(files) {
  const run = spawnSync("npx", ["vitest", "run", ...files], { cwd: root, encoding: "utf8", stdio: "pipe" });
  const summary = (run.stdout + run.stderr).split("\n").filter((l) => /Tests\s+\d|FAIL|×/.test(l));
  return { passed: run.status === 0, summary: summary.slice(0, 6).map((l) => l.replace(/\x1b\[[0-9;]*m/g, "").trim()) };
}

let restoreNow = null;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    restoreNow?.();
    process.exit(130);
  });
}

if (!args.includes("--no-baseline")) {
  const files = [...new Set(chosen.flatMap((m) => m.tests))];
  const baseline = vitest(files);
  if (!baseline.passed) {
    console.error(`The covering tests fail without any mutation; fix that first:\n  ${baseline.summary.join("\n  ")}`);
    process.exit(2);
  }
  console.log(`baseline: ${files.length} test files pass unmutated`);
}

let survived = 0;
for (const mutation of chosen) {
  const file = path.join(root, mutation.file);
  const original = fs.readFileSync(file, "utf8");
  const found = original.split(mutation.from).length - 1;
  if (found !== 1) {
    console.error(
      `${mutation.name}: expected the text once in ${mutation.file}, found it ${found} times; update this script.`,
    );
    process.exit(2);
  }
  restoreNow = () => fs.writeFileSync(file, original);
  let result;
  try {
    fs.writeFileSync(file, original.replace(mutation.from, mutation.to));
    result = vitest(mutation.tests);
  } finally {
    restoreNow();
    restoreNow = null;
  }
  if (result.passed) survived++;
  console.log(`${result.passed ? "SURVIVED" : "caught  "}  ${mutation.name}`);
  for (const line of result.summary) console.log(`            ${line}`);
}
console.log(survived === 0 ? "Every mutation was caught." : `${survived} mutation(s) survived.`);
process.exit(survived === 0 ? 0 : 1);
