// At most `limit` pieces of work at once; later ones wait their turn in arrival order, and
// past `maxWaiting` they are turned away. In memory: one server process.

export interface ConcurrencyLimiter {
  /** Resolves with a release function once a slot is free, or null when the queue is full. */
  acquire(): Promise<(() => void) | null>;
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
    acquire() {
      if (active < limit) {
        active++;
        return Promise.resolve(slot());
      }
      if (queue.length >= maxWaiting) return Promise.resolve(null);
      // The slot passes straight from the releasing holder to the next in line.
      return new Promise((resolve) => queue.push(() => resolve(slot())));
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
