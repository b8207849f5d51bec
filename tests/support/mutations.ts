// Random damage to a valid backup, for property tests: structural edits (re-signed or not, so
// the integrity block does or does not hide them) and raw byte damage.
import fc from "fast-check";

import { serializeBackup, type BackupDoc } from "@/tests/support/backup";

type Record_ = { model: string; pk: number; fields: Record<string, unknown> };

const OTHER_VALUES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  "",
  "text",
  true,
  false,
  [],
  {},
  "2024-02-30T00:00:00Z",
  2 ** 53,
  "x".repeat(5000),
];

function lists(doc: BackupDoc): Record_[][] {
  return Object.values(doc.models).filter((l): l is Record_[] => Array.isArray(l) && l.length > 0);
}

/** Picks list / record / field by fractions, so any seed lands on something that exists. */
function pick<T>(items: T[], at: number): T {
  return items[Math.min(items.length - 1, Math.floor(at * items.length))]!;
}

const structural = {
  drop: (doc: BackupDoc, a: number, b: number) => {
    const list = pick(lists(doc), a);
    list.splice(Math.floor(b * list.length), 1);
  },
  duplicate: (doc: BackupDoc, a: number, b: number) => {
    const list = pick(lists(doc), a);
    list.push(structuredClone(pick(list, b)));
  },
  retype: (doc: BackupDoc, a: number, b: number, c: number) => {
    const record = pick(pick(lists(doc), a), b);
    const field = pick(Object.keys(record.fields), c);
    record.fields[field] = pick(OTHER_VALUES, (a + b + c) % 1);
  },
  repk: (doc: BackupDoc, a: number, b: number, c: number) => {
    pick(pick(lists(doc), a), b).pk = pick([0, -1, 1, 2, 999_999], c);
  },
  dropField: (doc: BackupDoc, a: number, b: number, c: number) => {
    const record = pick(pick(lists(doc), a), b);
    delete record.fields[pick(Object.keys(record.fields), c)];
  },
  shuffle: (doc: BackupDoc, a: number) => {
    pick(lists(doc), a).reverse();
  },
  reorderModels: (doc: BackupDoc) => {
    doc.models = Object.fromEntries(Object.entries(doc.models).reverse());
  },
  relabel: (doc: BackupDoc, a: number) => {
    const label = pick(Object.keys(doc.models), a);
    const { [label]: list, ...rest } = doc.models;
    doc.models = { ...rest, [label.toLowerCase()]: list! };
  },
};

export type Mutation = { describe: string; apply: (text: string) => Buffer };

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

const structuralMutation: fc.Arbitrary<Mutation> = fc
  .tuple(
    fc.constantFrom(...(Object.keys(structural) as (keyof typeof structural)[])),
    fraction,
    fraction,
    fraction,
    fc.boolean(),
  )
  .map(([kind, a, b, c, resign]) => ({
    describe: `${kind}(${a.toFixed(3)}, ${b.toFixed(3)}, ${c.toFixed(3)})${resign ? " re-signed" : ""}`,
    apply: (text: string) => {
      const doc = JSON.parse(text) as BackupDoc;
      structural[kind](doc, a, b, c);
      return Buffer.from(serializeBackup(doc, { resign }));
    },
  }));

const truncation: fc.Arbitrary<Mutation> = fraction.map((at) => ({
  describe: `truncate at ${(at * 100).toFixed(2)}%`,
  apply: (text: string) => Buffer.from(text).subarray(0, Math.floor(at * Buffer.byteLength(text))),
}));

const byteDamage: fc.Arbitrary<Mutation> = fc
  .array(fc.tuple(fraction, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
  .map((edits) => ({
    describe: `bytes ${edits.map(([at, v]) => `${(at * 100).toFixed(2)}%=${v}`).join(" ")}`,
    apply: (text: string) => {
      const bytes = Buffer.from(text);
      for (const [at, value] of edits) bytes[Math.floor(at * bytes.length)] = value;
      return bytes;
    },
  }));

export const backupMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: structuralMutation, weight: 3 },
  { arbitrary: truncation, weight: 1 },
  { arbitrary: byteDamage, weight: 1 },
);
