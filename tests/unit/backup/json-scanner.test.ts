// The streaming scanner against JSON.parse (an independent oracle) on text built to trip a
// hand-written scanner: escaped quotes and backslashes, brackets inside strings, multi-byte
// UTF-8, a byte-order mark, and every possible split of the document between two reads.
import { describe, expect, it } from "vitest";

import { BackupScanError, BackupScanner } from "@/lib/backup/format/json-scanner";

interface Seen {
  members: Record<string, unknown>;
  records: { label: string; value: unknown; text: string }[];
  ends: string[];
}

function scan(bytes: Buffer, splits: number[]): Seen {
  const seen: Seen = { members: {}, records: [], ends: [] };
  const scanner = new BackupScanner({
    member: (key, value) => void (seen.members[key] = value),
    modelStart: () => {},
    record: (label, value, raw) => void seen.records.push({ label, value, text: Buffer.from(raw).toString("utf8") }),
    modelValue: () => {},
    modelEnd: (label) => void seen.ends.push(label),
  });
  feed(scanner, bytes, splits);
  return seen;
}

/** Pushes `bytes` to `scanner` in reads that end at each of `splits`, then ends it. */
function feed(scanner: BackupScanner, bytes: Buffer, splits: number[]): void {
  let from = 0;
  for (const at of [...splits, bytes.length]) {
    scanner.push(bytes.subarray(from, at));
    from = at;
  }
  scanner.end();
}

const TRICKY = [
  { model: "a.one", pk: 1, fields: { title: 'He said \\"stop\\"', path: "C:\\\\data\\\\", note: "}]{[" } },
  { model: "a.one", pk: 2, fields: { title: "ends with a backslash \\\\", emoji: "🧪 Kühlung ≤ 4 K", empty: "" } },
  { model: "a.two", pk: 3, fields: { nested: { list: [1, [2, { x: '"]\\' }]] }, n: -1.5e3, t: true, z: null } },
];

/** The document as text, records written by hand so the escapes are exactly as above. */
function documentText(): string {
  const record = (r: (typeof TRICKY)[number]) => {
    const fields = Object.entries(r.fields)
      .map(([k, v]) => `"${k}": ${typeof v === "string" ? `"${v}"` : JSON.stringify(v)}`)
      .join(", ");
    return `{"model": "${r.model}", "pk": ${r.pk}, "fields": {${fields}}}`;
  };
  return [
    '{"export_date": "2026-01-01T00:00:00Z", "note": "a \\"quoted\\" member",',
    ' "models": {',
    `  "a.one": [${record(TRICKY[0]!)},\n    ${record(TRICKY[1]!)}],`,
    `  "a.two": [ ${record(TRICKY[2]!)} ],`,
    '  "a.empty": []',
    " }",
    "}",
  ].join("\n");
}

describe("the backup scanner", () => {
  const text = documentText();
  const oracle = JSON.parse(text) as { models: Record<string, unknown[]>; note: string };

  it("reads every record as JSON.parse does, with its exact bytes", () => {
    const seen = scan(Buffer.from(text), []);
    expect(seen.records.map((r) => r.value)).toEqual([...oracle.models["a.one"]!, ...oracle.models["a.two"]!]);
    for (const r of seen.records) expect(JSON.parse(r.text)).toEqual(r.value);
    expect(text).toContain(seen.records[0]!.text);
    expect(seen.members.note).toBe('a "quoted" member');
    expect(seen.ends).toEqual(["a.one", "a.two", "a.empty"]);
  });

  it("gives the same result whatever byte the reads split at, and read one byte at a time", () => {
    const bytes = Buffer.from(text);
    const whole = scan(bytes, []);
    for (let at = 1; at < bytes.length; at++) {
      expect(scan(bytes, [at]), `split at byte ${at}`).toEqual(whole);
    }
    expect(
      scan(
        bytes,
        Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
      ),
    ).toEqual(whole);
  });

  it("skips a UTF-8 byte-order mark, even when it arrives split", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const whole = scan(Buffer.from(text), []);
    expect(scan(bytes, [])).toEqual(whole);
    expect(scan(bytes, [3])).toEqual(whole);
  });

  it("refuses a document cut inside an escaped string, at every cut", () => {
    const bytes = Buffer.from(text);
    const inside = text.indexOf('\\"stop');
    for (let cut = inside - 5; cut < inside + 12; cut++) {
      expect(() => scan(bytes.subarray(0, cut), []), `cut at ${cut}`).toThrow(BackupScanError);
    }
  });

  it("refuses an unterminated string rather than reading past its escaped quote", () => {
    const broken = '{"models": {"a.one": [{"model": "a.one", "pk": 1, "fields": {"t": "open \\"}]}}}';
    expect(() => JSON.parse(broken)).toThrow();
    expect(() => scan(Buffer.from(broken), [])).toThrow(/truncated/);
  });

  it("refuses bytes that are not UTF-8 anywhere, as Python's json does, wherever the reads split", () => {
    const bytes = Buffer.from(text);
    // In a member, inside a multi-byte character of a record, and in plain ASCII of a record.
    for (const inside of [bytes.indexOf("2026-01-01"), bytes.indexOf("ü"), bytes.indexOf("ends with")]) {
      const damaged = Buffer.from(bytes);
      damaged[inside] = 0x8c; // a continuation byte with nothing to continue
      expect(() => new TextDecoder("utf-8", { fatal: true }).decode(damaged)).toThrow();
      expect(() => scan(damaged, []), `byte ${inside}`).toThrow(/not valid UTF-8/);
      expect(() => scan(damaged, [inside]), `byte ${inside}, split there`).toThrow(/not valid UTF-8/);
    }
  });
});

/** What scanning `text` whole, and one byte at a time, ends in: the events or the refusal. */
function outcome(text: string, oneByteAtATime = false): string {
  const bytes = Buffer.from(text);
  const splits = oneByteAtATime ? Array.from({ length: bytes.length }, (_, i) => i) : [];
  const events: string[] = [];
  const scanner = new BackupScanner({
    member: (key, value) => void events.push(`${key}=${JSON.stringify(value)}`),
    modelStart: (label) => void events.push(`[${label}`),
    record: (label, value) => void events.push(JSON.stringify(value)),
    modelValue: (label, value) => void events.push(`${label}=${JSON.stringify(value)}`),
    modelEnd: (label) => void events.push(`${label}]`),
  });
  try {
    feed(scanner, bytes, splits);
    return events.join(" ");
  } catch (error) {
    if (!(error instanceof BackupScanError)) throw error;
    return `refused: ${error.message}`;
  }
}

describe("the backup scanner's refusals, in words", () => {
  it.each([
    ["", "The file is empty."],
    ["   \n\t\r ", "The file is empty."],
    ["\ufeff", "The file is empty."],
    ["[]", "This is not a backup file: it does not start with a JSON object (at the very start of the file)"],
    ['  "text"', "This is not a backup file: it does not start with a JSON object (2 B into the file)"],
    ['{"a" 1}', "Expected ':' after a member name (5 B into the file)"],
    ["{a: 1}", "Expected a quoted member name (1 B into the file)"],
    ['{"a": 1 "b": 2}', "Expected ',' or '}' between top-level members (9 B into the file)"],
    ['{"models": []}', 'Expected "{" to open "models" but found "[" (11 B into the file)'],
    ['{"models": {x: []}}', "Expected a quoted member name (12 B into the file)"],
    [
      '{"models": {"x.y": [{"pk": 1} {"pk": 2}]}}',
      "Expected ',' or ']' between records of \"x.y\" (31 B into the file)",
    ],
    ['{"models": {"x.y": [] "z": 1}}', "Expected ',' or '}' after \"x.y\" (23 B into the file)"],
    ['{"a": 1} x', "Unexpected data after the end of the document (9 B into the file)"],
    ['{"a": tru}', 'Malformed JSON in "a": Unexpected end of JSON input (6 B into the file)'],
    ['{"models": {"x.y": [{"pk": 1}, {"pk" 2}]}}', /^Malformed JSON in record 2 of "x\.y": .* \(31 B into the file\)$/],
    [
      '{"models": {"x.y": [{"pk": 1}, {"pk": 2',
      'The file ends early: it looks truncated (it stops in "x.y" after 1 record).',
    ],
    [
      '{"models": {"x.y": [{"pk": 1}, {"pk": 2}',
      'The file ends early: it looks truncated (it stops in "x.y" after 2 records).',
    ],
    ['{"models": {"x.y": [', 'The file ends early: it looks truncated (it stops in "x.y" after 0 records).'],
    ['{"models": {"x.y": [{"pk": 1}]', 'The file ends early: it looks truncated (it stops inside "models").'],
    ['{"models": {', 'The file ends early: it looks truncated (it stops inside "models").'],
    ['{"a"', "The file ends early: it looks truncated (it stops before the end of the document)."],
    ['{"a": 12', "The file ends early: it looks truncated (it stops before the end of the document)."],
    ['{"models": {"x.y": []}', "The file ends early: it looks truncated (it stops before the end of the document)."],
  ] as const)("refuses %j: %s", (text, refusal) => {
    for (const oneByteAtATime of [false, true]) {
      const seen = outcome(text, oneByteAtATime);
      if (typeof refusal === "string")
        expect(seen, `one byte at a time: ${oneByteAtATime}`).toBe(`refused: ${refusal}`);
      else expect(seen.replace(/^refused: /, "")).toMatch(refusal);
    }
  });

  it("counts bytes from the start of the file, across reads and past a byte-order mark", () => {
    const text = `\ufeff{"note": "${"x".repeat(5000)}", "b" 2}`;
    expect(outcome(text, true)).toBe("refused: Expected ':' after a member name (4.9 KiB into the file)");
  });

  it.each([
    ["{}", ""],
    [" { } ", ""],
    ['{"a": 1}  \n', "a=1"],
    ['\ufeff{"a": [1, {"b": "}"}]}', 'a=[1,{"b":"}"}]'],
    ['{"models": {}}', ""],
    ['{"models": {"x.y": {"kept": 1}}}', 'x.y={"kept":1}'],
    ['{"models": {"x.y": [], "z.w": [7]}, "b": true}', "[x.y x.y] [z.w 7 z.w] b=true"],
    ['{"a": "x", "models": {"x.y": [{"pk": 1}, {"pk": 2}]}}', 'a="x" [x.y {"pk":1} {"pk":2} x.y]'],
  ])("reads %j, whole and one byte at a time", (text, events) => {
    expect(outcome(text)).toBe(events);
    expect(outcome(text, true)).toBe(events);
  });
});
