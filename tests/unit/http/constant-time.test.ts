// Secrets are compared by sameSecret, never `===`: these pin down what it answers. (How long it
// takes is not asserted here: timings are measured by bench/, never in tests.)
import { describe, expect, it } from "vitest";

import { matchesAnySecret, sameSecret } from "@/lib/http/constant-time";

describe("comparing secrets", () => {
  it("matches only the same string, whatever the lengths", () => {
    expect(sameSecret("fingerprint-1", "fingerprint-1")).toBe(true);
    expect(sameSecret("fingerprint-1", "fingerprint-2")).toBe(false);
    expect(sameSecret("fingerprint", "fingerprint-1")).toBe(false);
    expect(sameSecret("", "x")).toBe(false);
    expect(sameSecret("", "")).toBe(true);
  });

  it("never matches an absent secret, not even another absent one", () => {
    expect(sameSecret(undefined, undefined)).toBe(false);
    expect(sameSecret(null, "x")).toBe(false);
    expect(sameSecret("x", undefined)).toBe(false);
  });

  it("matches any of several keys, and none of none", () => {
    expect(matchesAnySecret("b", ["a", "b", "c"])).toBe(true);
    expect(matchesAnySecret("a", ["a", "b"])).toBe(true);
    expect(matchesAnySecret("d", ["a", "b", "c"])).toBe(false);
    expect(matchesAnySecret("a", [])).toBe(false);
  });
});
