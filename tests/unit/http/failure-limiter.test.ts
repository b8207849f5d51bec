// The backup API's limit on wrong keys: failures per client in a sliding window; past the
// limit the client waits until its oldest failure ages out. Bounded in memory.
import { describe, expect, it } from "vitest";

import { createFailureLimiter } from "@/lib/http/rate-limit";

const MINUTE = 60_000;

describe("the failure limiter", () => {
  it("lets a client fail `limit` - 1 times freely, then refuses it until its oldest failure is out of the window", () => {
    const limiter = createFailureLimiter({ limit: 3, windowMs: 10 * MINUTE });
    const t0 = 1_000_000;
    limiter.fail("a", t0);
    limiter.fail("a", t0 + MINUTE);
    expect(limiter.retryAfter("a", t0 + MINUTE)).toBe(0);
    limiter.fail("a", t0 + 2 * MINUTE);
    // The oldest failure (t0) leaves the window at t0 + 10 min: 8 minutes from now.
    expect(limiter.retryAfter("a", t0 + 2 * MINUTE)).toBe(8 * 60);
    expect(limiter.retryAfter("a", t0 + 10 * MINUTE - 500)).toBe(1);
    expect(limiter.retryAfter("a", t0 + 10 * MINUTE)).toBe(0);
    // Other clients are not affected.
    expect(limiter.retryAfter("b", t0 + 2 * MINUTE)).toBe(0);
  });

  it("forgets failures older than the window", () => {
    const limiter = createFailureLimiter({ limit: 2, windowMs: MINUTE });
    limiter.fail("a", 0);
    limiter.fail("a", MINUTE);
    expect(limiter.retryAfter("a", MINUTE)).toBe(0);
    limiter.fail("a", MINUTE + 1);
    expect(limiter.retryAfter("a", MINUTE + 1)).toBe(60);
  });

  it("reads a limit given as a function at each check", () => {
    let limit = 5;
    const limiter = createFailureLimiter({ limit: () => limit, windowMs: MINUTE });
    limiter.fail("a", 0);
    limiter.fail("a", 1);
    expect(limiter.retryAfter("a", 2)).toBe(0);
    limit = 2;
    expect(limiter.retryAfter("a", 2)).toBe(60);
  });

  it("remembers at most maxClients clients, forgetting the one first seen", () => {
    const limiter = createFailureLimiter({ limit: 1, windowMs: MINUTE, maxClients: 2 });
    limiter.fail("a", 0);
    limiter.fail("b", 0);
    limiter.fail("a", 1); // known: nobody is forgotten
    expect(limiter.retryAfter("b", 2)).toBe(60);
    limiter.fail("c", 2);
    expect(limiter.retryAfter("a", 3)).toBe(0);
    expect(limiter.retryAfter("b", 3)).toBe(60);
    expect(limiter.retryAfter("c", 3)).toBe(60);
  });
});
