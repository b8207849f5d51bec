import { describe, expect, it } from "vitest";
import { storedToIso, toStoredDateTime } from "@/lib/backup/values";

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

  it.each(["", "yesterday", "2024-02-30T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T25:00:00Z", "2024-01-01", "1700000000"])(
    "rejects %j",
    (input) => expect(toStoredDateTime(input)).toBeNull(),
  );

  it("writes stored values back as ISO 8601 UTC with Z, keeping microseconds", () => {
    expect(storedToIso("2024-03-05T10:20:30.123456+00:00")).toBe("2024-03-05T10:20:30.123456Z");
    expect(storedToIso("2024-03-05T10:20:30.123+00:00")).toBe("2024-03-05T10:20:30.123Z");
    expect(storedToIso("2024-03-05 10:20:30")).toBe("2024-03-05T10:20:30.000Z");
  });
});
