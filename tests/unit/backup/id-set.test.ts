// The validator's set of primary keys: a bitmap for ordinary ids, a Set for the rest; it must
// answer exactly as a Set of the same ids would.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { IdSet } from "@/lib/backup/verify/id-set";

const id = fc.oneof(
  fc.integer({ min: 0, max: 100 }),
  fc.integer({ min: 0, max: 2 ** 26 + 10 }),
  fc.integer({ min: -5, max: -1 }),
  fc.constantFrom(31, 32, 33, 63, 64, 2 ** 26 - 1, 2 ** 26, 2 ** 31, 2 ** 53 - 1, 1.5),
);

describe("a set of primary keys", () => {
  it("answers as a Set does, whatever ids it holds", () => {
    fc.assert(
      fc.property(fc.array(id, { maxLength: 200 }), fc.array(id, { maxLength: 200 }), (added, asked) => {
        const ids = new IdSet();
        const reference = new Set<number>();
        for (const n of added) {
          ids.add(n);
          reference.add(n);
        }
        for (const n of [...added, ...asked]) expect(ids.has(n), String(n)).toBe(reference.has(n));
      }),
      { numRuns: 500 },
    );
  });

  it("holds a bit at each word's edge apart from its neighbours", () => {
    const ids = new IdSet();
    for (const n of [0, 31, 32, 63, 100_000]) ids.add(n);
    expect([0, 1, 30, 31, 32, 33, 62, 63, 64, 99_999, 100_000, 100_001].map((n) => ids.has(n))).toEqual([
      true,
      false,
      false,
      true,
      true,
      false,
      false,
      true,
      false,
      false,
      true,
      false,
    ]);
  });

  it("grows to hold an id just past its bits, and at every doubling after", () => {
    const ids = new IdSet();
    // It starts with 1024 words of 32 bits: 32,768 is the first id that needs more.
    const edges = [32_767, 32_768, 65_535, 65_536, 131_072, 2 ** 26 - 1];
    for (const n of edges) ids.add(n);
    expect(edges.map((n) => ids.has(n))).toEqual(edges.map(() => true));
    expect([32_769, 65_537, 131_071].map((n) => ids.has(n))).toEqual([false, false, false]);
  });

  it("keeps ids that are not whole or not positive apart from their neighbours", () => {
    const ids = new IdSet();
    for (const n of [1.5, -1, -32]) ids.add(n);
    expect([1.5, 1, 2, -1, -32, 0, 31].map((n) => ids.has(n))).toEqual([true, false, false, true, true, false, false]);
  });
});
