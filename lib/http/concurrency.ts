// At most `limit` pieces of work at once; later ones wait their turn in arrival order, and
// past `maxWaiting` they are turned away. A waiter whose client goes away leaves the line: a
// burst of clients that gave up must not take slots nobody will use. In memory: one server
// process.

export interface ConcurrencyLimiter {
  /**
   * Resolves with a release function once a slot is free; with null when the queue is full,
   * or when `signal` aborts first (the waiter then leaves the queue).
   */
  acquire(signal?: AbortSignal): Promise<(() => void) | null>;
  readonly active: number;
  readonly waiting: number;
}

export function createConcurrencyLimiter({
  limit,
  maxWaiting,
}: {
  limit: number;
  maxWaiting: number;
}): ConcurrencyLimiter {
  let active = 0;
  const queue: (() => void)[] = [];
  const slot = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.shift();
      if (next) next();
      else active--;
    };
  };
  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.resolve(null);
      if (active < limit) {
        active++;
        return Promise.resolve(slot());
      }
      if (queue.length >= maxWaiting) return Promise.resolve(null);
      return new Promise((resolve) => {
        // The slot passes straight from the releasing holder to the next in line.
        const granted = () => {
          signal?.removeEventListener("abort", leave);
          resolve(slot());
        };
        const leave = () => {
          queue.splice(queue.indexOf(granted), 1);
          resolve(null);
        };
        signal?.addEventListener("abort", leave);
        queue.push(granted);
      });
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
