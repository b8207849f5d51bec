import { describe, expect, it } from "vitest";

import { createConcurrencyLimiter } from "@/lib/http/concurrency";
import { within } from "@/tests/support/within";

const tick = () => new Promise((r) => setTimeout(r, 1));

describe("concurrency limiter", () => {
  it("never runs more than the limit at once, and runs everyone in arrival order", async () => {
    const limiter = createConcurrencyLimiter({ limit: 3, maxWaiting: 100 });
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const release = (await limiter.acquire())!;
        order.push(i);
        running++;
        peak = Math.max(peak, running);
        await tick();
        running--;
        release();
      }),
    );
    expect(peak).toBe(3);
    expect(order).toEqual([...Array(20).keys()]);
    expect(limiter.active).toBe(0);
  });

  it("turns work away when the queue is full, and a double release frees only one slot", async () => {
    const limiter = createConcurrencyLimiter({ limit: 1, maxWaiting: 1 });
    const first = (await limiter.acquire())!;
    const queued = limiter.acquire();
    expect(await limiter.acquire()).toBeNull();
    first();
    first();
    const second = (await queued)!;
    expect(limiter.active).toBe(1);
    second();
    expect(limiter.active).toBe(0);
  });

  it("lets a waiter whose client went away leave the line, so the slot goes to the next one", async () => {
    const limiter = createConcurrencyLimiter({ limit: 1, maxWaiting: 10 });
    const holder = (await limiter.acquire())!;
    const gone = new AbortController();
    const leaving = limiter.acquire(gone.signal);
    const staying = limiter.acquire();
    expect(limiter.waiting).toBe(2);
    gone.abort();
    expect(await within(1000, leaving, "the waiter to leave the line")).toBeNull();
    expect(limiter.waiting).toBe(1);
    holder();
    const next = (await staying)!;
    expect(limiter.active).toBe(1);
    next();
    expect(limiter.active).toBe(0);
  });

  it("gives no slot to a client already gone, and a late abort does not take back a slot given", async () => {
    const limiter = createConcurrencyLimiter({ limit: 1, maxWaiting: 10 });
    expect(await within(1000, limiter.acquire(AbortSignal.abort()), "the answer to a client already gone")).toBeNull();
    expect(limiter.active).toBe(0);
    const holder = (await limiter.acquire())!;
    const late = new AbortController();
    const waiting = limiter.acquire(late.signal);
    const after = limiter.acquire();
    holder();
    const granted = (await waiting)!;
    late.abort();
    expect(limiter.waiting).toBe(1);
    granted();
    (await after)!();
    expect(limiter.active).toBe(0);
  });
});
