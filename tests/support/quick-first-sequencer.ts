// Test file order for mutation runs. Vitest runs the slowest files first, which suits a full
// run on many cores; a mutation run stops at the first failing test, so here the file that
// failed last time (it likely kills the next mutant of the same code) goes first, then the
// quickest. A file stopped early by that bail reports a short time, so each file is ranked
// by the longest time it has taken in this process (the first, complete run sets it).
import path from "node:path";

import { BaseSequencer, type TestSpecification } from "vitest/node";

const longest = new Map<string, number>();

export default class QuickFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification): [number, number] => {
      const key = `${spec.project.name}:${path.relative(this.ctx.config.root, spec.moduleId)}`;
      const last = this.ctx.cache.getFileTestResults(key);
      if (last) longest.set(key, Math.max(longest.get(key) ?? 0, last.duration ?? 0));
      return [last?.failed ? 0 : 1, longest.get(key) || Number.MAX_SAFE_INTEGER];
    };
    const ranked = files.map((spec) => ({ spec, rank: rank(spec) }));
    ranked.sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1]);
    return ranked.map(({ spec }) => spec);
  }
}
