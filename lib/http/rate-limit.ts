// Counts failed attempts per client in a sliding window; past the limit a client is
// refused (429) until its oldest failure ages out. In memory: one server process.

export interface FailureLimiter {
  /** Seconds until this client may try again, or 0 when it may. */
  retryAfter(client: string, now?: number): number;
  fail(client: string, now?: number): void;
}

export function createFailureLimiter({ limit = 5, windowMs = 10 * 60_000, maxClients = 10_000 } = {}): FailureLimiter {
  const failures = new Map<string, number[]>();
  const recent = (client: string, now: number) => (failures.get(client) ?? []).filter((t) => now - t < windowMs);
  return {
    retryAfter(client, now = Date.now()) {
      const times = recent(client, now);
      if (times.length < limit) return 0;
      return Math.max(1, Math.ceil((times[0]! + windowMs - now) / 1000));
    },
    fail(client, now = Date.now()) {
      if (!failures.has(client) && failures.size >= maxClients) {
        // Forget the client seen longest ago rather than grow without bound.
        failures.delete(failures.keys().next().value!);
      }
      failures.set(client, [...recent(client, now), now]);
    },
  };
}

/** The address the nearest proxy saw (last X-Forwarded-For hop), not one a client can choose. */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  const hops =
    forwarded
      ?.split(",")
      .map((h) => h.trim())
      .filter(Boolean) ?? [];
  return hops.at(-1) ?? headers.get("x-real-ip") ?? "unknown";
}
