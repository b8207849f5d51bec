// The mutation runs (mutation/runs.mjs) cover every file of the code they are for: a file added
// to lib/http or lib/offsite (or the engine, or the staff checks) is mutated by some run, and
// each run's tests exist, so a renamed test file cannot quietly leave a run with nothing.
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { globToRegExp, mutatedFolderFiles, RUNS } from "@/mutation/runs.mjs";

const testFiles = fs
  .readdirSync("tests", { recursive: true })
  .map((f) => path.join("tests", String(f)))
  .filter((f) => f.endsWith(".test.ts"));

describe("the mutation runs", () => {
  it("mutate every file of lib/http, lib/offsite, lib/backup, lib/auth and the engine seam", () => {
    const patterns = Object.values(RUNS).flatMap((run) => run.mutate.map(globToRegExp));
    const unmutated = mutatedFolderFiles().filter((file) => !patterns.some((p) => p.test(file)));
    expect(unmutated).toEqual([]);
  });

  it("name tests that exist, each pattern matching at least one file", () => {
    const empty = Object.entries(RUNS).flatMap(([name, run]) =>
      [...(run.tests ?? []), ...(run.skip ?? [])]
        .filter((glob) => !testFiles.some((file) => globToRegExp(glob).test(file)))
        .map((glob) => `${name}: ${glob}`),
    );
    expect(empty).toEqual([]);
  });
});
