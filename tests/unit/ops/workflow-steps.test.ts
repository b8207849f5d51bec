// GitHub runs a step's `run:` with `bash -e {0}` unless the step says `shell: bash`, which adds
// -o pipefail. Without it, `command | tee …` takes tee's exit code: a failed backup push turns
// the workflow green, and nobody hears of it.
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

const WORKFLOWS = ".github/workflows";

/** Each step of a workflow as its text (a step starts with "- " under `steps:`). */
function stepsOf(text: string): string[] {
  return text.split(/\n(?=\s+- (?:name|uses|run|if|id|env|with|shell):)/).slice(1);
}

/** A one-line `run:` that pipes one command into another (a `run: |` block is not a pipe). */
const pipes = (step: string) => /^\s+run: (?!\|)[^\n]*[^|]\|[^|]/m.test(step);

describe("the GitHub workflows", () => {
  const files = fs.readdirSync(WORKFLOWS).filter((f) => f.endsWith(".yml"));

  it("run every step that pipes into another command with bash's pipefail", () => {
    const unsafe = files.flatMap((file) =>
      stepsOf(fs.readFileSync(path.join(WORKFLOWS, file), "utf8"))
        .filter((step) => pipes(step) && !/^\s+shell: bash\s*$/m.test(step))
        .map((step) => `${file}: ${step.trim().split("\n")[0]}`),
    );
    expect(unsafe).toEqual([]);
  });

  it("find the piping step of the off-site push (so the check above looks at something)", () => {
    const steps = stepsOf(fs.readFileSync(path.join(WORKFLOWS, "backup-push.yml"), "utf8"));
    expect(steps.filter(pipes)).toHaveLength(1);
  });
});
