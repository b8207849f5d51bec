// npm run test:mutation:scores: every mutated file's score from the committed reports, run by
// run; the files a run mutates that no report holds yet; and reported files since moved. Read from
// reports/mutation/*.json (mutation-testing-report-schema), so the figures in
// reports/mutation/README.md can be checked against what StrykerJS wrote.
import fs from "node:fs";

import { globToRegExp, mutatedFolderFiles, RUNS } from "./runs.mjs";

const ownedBy = (run) => {
  const patterns = run.mutate.map(globToRegExp);
  return (file) => patterns.some((p) => p.test(file));
};

function counts(mutants) {
  const by = (status) => mutants.filter((m) => m.status === status).length;
  const c = {
    mutants: 0,
    killed: by("Killed"),
    timeout: by("Timeout"),
    survived: by("Survived"),
    noCoverage: by("NoCoverage"),
  };
  c.mutants = c.killed + c.timeout + c.survived + c.noCoverage;
  c.score = c.mutants ? ((c.killed + c.timeout) / c.mutants) * 100 : 100;
  return c;
}

const row = (cells) => `| ${cells.join(" | ")} |`;
console.log(row(["run", "file", "mutants", "killed", "timeout", "survived", "no coverage", "score"]));
console.log(row(["---", "---", "---:", "---:", "---:", "---:", "---:", "---:"]));
const measured = new Set();
const gone = new Set();
for (const [name, run] of Object.entries(RUNS)) {
  const file = `reports/mutation/${run.report}.json`;
  if (!fs.existsSync(file)) continue;
  const owns = ownedBy(run);
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  for (const [source, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    if (!owns(source) || measured.has(source)) continue;
    if (!fs.existsSync(source)) {
      gone.add(source);
      continue;
    }
    measured.add(source);
    const c = counts(mutants.filter((m) => !m.static));
    console.log(
      row([name, source, c.mutants, c.killed, c.timeout, c.survived, c.noCoverage, `${c.score.toFixed(2)} %`]),
    );
  }
}

const owned = (file) => Object.values(RUNS).some((run) => ownedBy(run)(file));
const missing = mutatedFolderFiles().filter((file) => owned(file) && !measured.has(file));
console.log(
  missing.length ? `\nNo report holds yet: ${missing.join(", ")}` : "\nEvery file the runs mutate has a report.",
);
