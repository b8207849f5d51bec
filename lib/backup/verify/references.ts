// Reference tracking: every foreign key and many-to-many target a record names must be a
// record of the file (or, for a merge, a row the database keeps). A reference to a model
// already read is answered at once; one to a model still to come waits, in flat number
// pairs, until the whole file was read.
import { IdSet, type IdLookup } from "@/lib/backup/verify/id-set";
import type { Problems } from "@/lib/backup/verify/problems";

interface PendingReference {
  from: string;
  column: string;
  target: string;
  /** Flat pairs: record pk, referenced pk. */
  pairs: number[];
}

export class References {
  private readonly keys = new Map<string, IdSet>();
  private readonly finished = new Set<string>();
  private readonly pending: PendingReference[] = [];

  /**
   * `existing`: primary keys already in the database per label. A merge keeps those rows, so a
   * record may refer to them; a full restore passes none and every reference must be in the file.
   */
  constructor(
    private readonly problems: Problems,
    private readonly existing?: ReadonlyMap<string, IdLookup>,
  ) {}

  /** The primary keys of `label` seen so far (the same set when the label appears twice). */
  keysOf(label: string): IdSet {
    let keys = this.keys.get(label);
    if (!keys) this.keys.set(label, (keys = new IdSet()));
    return keys;
  }

  /** Every record of `label` is read: references to it are answered at once from now on. */
  finish(label: string): void {
    this.finished.add(label);
  }

  /** Record `pk` of `from` names `value` of `target` in `column`. */
  reference(from: string, column: string, target: string, pk: number, value: number): void {
    if (this.finished.has(target)) {
      if (!this.isKnown(target, value)) this.dangling(from, column, target, pk, value);
      return;
    }
    let entry = this.pending.find((p) => p.from === from && p.column === column);
    if (!entry) this.pending.push((entry = { from, column, target, pairs: [] }));
    entry.pairs.push(pk, value);
  }

  /** After the whole file: the references that waited for a model read later. */
  checkPending(): void {
    for (const p of this.pending) {
      for (let i = 0; i < p.pairs.length; i += 2) {
        if (!this.isKnown(p.target, p.pairs[i + 1]!))
          this.dangling(p.from, p.column, p.target, p.pairs[i]!, p.pairs[i + 1]!);
      }
    }
  }

  private isKnown(target: string, value: number): boolean {
    return Boolean(this.keys.get(target)?.has(value) || this.existing?.get(target)?.has(value));
  }

  private dangling(from: string, column: string, target: string, pk: number, value: number) {
    this.problems.record(`${from} pk ${pk}: ${column} points to ${target} pk ${value}, which is not in the file.`);
  }
}
