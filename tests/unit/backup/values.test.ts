import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { storedNow, storedToIso, toStoredDateTime } from "@/lib/backup/format/values";

describe("datetime values", () => {
  it.each([
    ["2024-03-05T10:20:30Z", "2024-03-05T10:20:30.000+00:00"],
    ["2024-03-05T10:20:30.123Z", "2024-03-05T10:20:30.123+00:00"],
    ["2024-03-05T10:20:30.123456Z", "2024-03-05T10:20:30.123456+00:00"],
    ["2024-03-05T10:20:30.123456+00:00", "2024-03-05T10:20:30.123456+00:00"],
    ["2024-03-05T10:20:30+00:00", "2024-03-05T10:20:30.000+00:00"],
    ["2024-03-05T12:20:30.5+02:00", "2024-03-05T10:20:30.500+00:00"],
    ["2024-03-05T00:20:30-05:30", "2024-03-05T05:50:30.000+00:00"],
    ["2024-03-05 10:20:30", "2024-03-05T10:20:30.000+00:00"],
    ["2024-03-05T10:20", "2024-03-05T10:20:00.000+00:00"],
  ])("reads Django/ISO %s", (input, stored) => {
    expect(toStoredDateTime(input)).toBe(stored);
  });

  it.each([
    "",
    "yesterday",
    "2024-02-30T00:00:00Z",
    "2024-13-01T00:00:00Z",
    "2024-01-01T25:00:00Z",
    "2024-01-01",
    "1700000000",
  ])("rejects %j", (input) => expect(toStoredDateTime(input)).toBeNull());

  it("writes stored values back as Django's encoder does (UTC, Z, no zero fraction), keeping microseconds", () => {
    expect(storedToIso("2024-03-05T10:20:30.123456+00:00")).toBe("2024-03-05T10:20:30.123456Z");
    expect(storedToIso("2024-03-05T10:20:30.123+00:00")).toBe("2024-03-05T10:20:30.123Z");
    expect(storedToIso("2024-03-05T10:20:30.100+00:00")).toBe("2024-03-05T10:20:30.100Z");
    expect(storedToIso("2024-03-05T10:20:30.000+00:00")).toBe("2024-03-05T10:20:30Z");
    expect(storedToIso("2024-03-05T10:20:30.000000+00:00")).toBe("2024-03-05T10:20:30Z");
    expect(storedToIso("2024-03-05 10:20:30")).toBe("2024-03-05T10:20:30Z");
  });
});

describe("datetime edges", () => {
  // Each as Django writes it (Z: the fast path), with an offset and naive (the general path).
  const forms = (base: string) => [`${base}Z`, `${base}+00:00`, base];

  it.each(["2024-02-29T12:00:00", "2000-02-29T12:00:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59"])(
    "reads %s in every form",
    (base) => {
      for (const text of forms(base)) expect(toStoredDateTime(text), text).toBe(`${base}.000+00:00`);
    },
  );

  it.each([
    "2023-02-29T12:00:00",
    "1900-02-29T12:00:00",
    "2024-04-31T12:00:00",
    "0000-01-01T00:00:00",
    "2024-01-00T00:00:00",
    "2024-00-10T00:00:00",
    "2024-01-01T24:00:00",
    "2024-01-01T23:60:00",
    "2024-01-01T23:59:60",
  ])("refuses %s in every form", (base) => {
    for (const text of forms(base)) expect(toStoredDateTime(text), text).toBeNull();
  });

  it.each([
    ["2024-03-05T10:20:30z", "2024-03-05T10:20:30.000+00:00"],
    ["2024-03-05T15:50:30+0530", "2024-03-05T10:20:30.000+00:00"],
    ["2024-03-05T15:20:30+05", "2024-03-05T10:20:30.000+00:00"],
    ["2024-03-05T09:50:30-00:30", "2024-03-05T10:20:30.000+00:00"],
    ["2024-03-05T10:20:30 +00:00", "2024-03-05T10:20:30.000+00:00"],
    ["2024-03-01T01:00:00+02:00", "2024-02-29T23:00:00.000+00:00"],
    ["2024-03-05T10:20:30,5Z", "2024-03-05T10:20:30.500+00:00"],
    ["2024-03-05T10:20:30.12+00:00", "2024-03-05T10:20:30.120+00:00"],
    ["2024-03-05T10:20:30.1234567Z", "2024-03-05T10:20:30.123456+00:00"],
    ["2024-03-05T10:20:30.123456789+00:00", "2024-03-05T10:20:30.123456+00:00"],
  ])("reads %s as %s", (input, stored) => expect(toStoredDateTime(input)).toBe(stored));

  it.each(["9999-12-31T23:30:00-01:00", "0001-01-01T00:30:00+01:00"])(
    "refuses %s, whose UTC time falls outside years 1–9999",
    (input) => expect(toStoredDateTime(input)).toBeNull(),
  );

  it("refuses a stored value it cannot read, quoting at most 40 characters of it", () => {
    expect(() => storedToIso(`not a date ${"x".repeat(60)}`)).toThrow(
      `Unreadable datetime in the database: ${JSON.stringify(`not a date ${"x".repeat(29)}`)}`,
    );
  });

  it("writes stored values of other forms back in Django's (offsets, lower case, a fraction of 1 digit)", () => {
    expect(storedToIso("2024-03-05T12:20:30.5+02:00")).toBe("2024-03-05T10:20:30.500Z");
    expect(storedToIso("2024-03-05t10:20:30z")).toBe("2024-03-05T10:20:30Z");
    expect(storedToIso("2024-03-05T10:20:30.120000+00:00")).toBe("2024-03-05T10:20:30.120000Z");
    expect(storedToIso("2024-03-05T10:20:30.000001+00:00")).toBe("2024-03-05T10:20:30.000001Z");
  });

  it("stamps now in the stored form", () => {
    const before = Date.now();
    const now = storedNow();
    expect(now).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/);
    expect(Date.parse(now)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(now)).toBeLessThanOrEqual(Date.now());
  });
});

describe("the fast path for exported datetimes", () => {
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  const fields = fc.record({
    y: fc.integer({ min: 0, max: 9999 }),
    mo: fc.integer({ min: 0, max: 13 }),
    d: fc.integer({ min: 0, max: 32 }),
    h: fc.integer({ min: 0, max: 25 }),
    mi: fc.integer({ min: 0, max: 61 }),
    s: fc.integer({ min: 0, max: 61 }),
    fraction: fc.oneof(fc.constant(""), fc.stringMatching(/^\.\d{3}$/), fc.stringMatching(/^\.\d{6}$/)),
  });

  it("agrees with the general parser on every `…Z` value, valid or not", () => {
    fc.assert(
      fc.property(fields, ({ y, mo, d, h, mi, s, fraction }) => {
        const base = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${fraction}`;
        // `+00:00` takes the general path, `Z` the fast one.
        expect(toStoredDateTime(`${base}Z`)).toBe(toStoredDateTime(`${base}+00:00`));
      }),
      { numRuns: 5000 },
    );
  });

  it("agrees with the general parser on `…Z` values with any one character changed", () => {
    const valid = fc.constantFrom("2024-03-05T10:20:30Z", "2024-03-05T10:20:30.123Z", "2024-03-05T10:20:30.123456Z");
    const damaged = fc.tuple(valid, fc.nat(), fc.constantFrom(..."0123456789-:T t.,xZ+")).map(([text, at, char]) => {
      const i = at % (text.length - 1);
      return `${text.slice(0, i)}${char}${text.slice(i + 1)}`;
    });
    fc.assert(
      fc.property(damaged, (text) => {
        expect(toStoredDateTime(text), text).toBe(toStoredDateTime(`${text.slice(0, -1)}+00:00`));
      }),
      { numRuns: 3000 },
    );
  });
});
