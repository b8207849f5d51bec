import { describe, expect, it } from "vitest";

import { createConcurrencyLimiter } from "@/lib/http/concurrency";

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
});
