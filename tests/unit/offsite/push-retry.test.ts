import { describe, expect, it } from "vitest";

import { retryDelayMs } from "@/lib/offsite/schedule";

const MINUTE = 60_000;

describe("a failed scheduled push", () => {
  it("is tried again within minutes, then at doubling intervals, never later than the cadence", () => {
    const day = 24 * 60 * MINUTE;
    expect([1, 2, 3, 4, 10, 11, 50].map((n) => retryDelayMs(n, day) / MINUTE)).toEqual([2, 4, 8, 16, 1024, 1440, 1440]);
    expect(retryDelayMs(1, 30_000)).toBe(30_000);
  });
});
