import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { storedToIso, toStoredDateTime } from "@/lib/backup/format/values";

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
});
