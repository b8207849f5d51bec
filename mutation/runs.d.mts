// The shape of a mutation run (runs.mjs, plain JavaScript so StrykerJS's config can load it).
export interface MutationRun {
  /** What the run proves, in a line. */
  about: string;
  /** Files changed one mutant at a time (StrykerJS globs). */
  mutate: string[];
  /** The test files run against each mutant; null: the whole Vitest suite but `skip`. */
  tests: string[] | null;
  /** Test files left out. */
  skip?: string[];
  /** reports/mutation/<report>.json; its incremental file beside it. */
  report: string;
  /** Test runners at once (default 2, the machine's cores). */
  concurrency?: number;
  /** Added to a mutant's covering tests' own time before it counts as hanging (default 60 s). */
  timeoutMS?: number;
  /** A test's own limit, where a mutant can make it wait for what never comes. */
  testTimeout?: number;
}

export declare const RUNS: Record<string, MutationRun>;

/** A StrykerJS or Vitest glob as a regular expression (`**` any folders, `*` any part of a name). */
export declare function globToRegExp(glob: string): RegExp;

/** The code the runs are for: every file of it must be in some run. */
export declare const MUTATED_FOLDERS: string[];

/** Every source file of MUTATED_FOLDERS (tests aside), relative to the project root. */
export declare function mutatedFolderFiles(): string[];
