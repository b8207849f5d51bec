import { trustedProxies } from "@/lib/config";
import { SOCKET_ADDRESS_HEADER, socketAddressPreloaded } from "@/lib/http/socket-address";

export { SOCKET_ADDRESS_HEADER };

// Counts failed attempts per client in a sliding window; past the limit a client is
// refused (429) until its oldest failure ages out. In memory: one server process.

export interface FailureLimiter {
  /** Seconds until this client may try again, or 0 when it may. */
  retryAfter(client: string, now?: number): number;
  fail(client: string, now?: number): void;
}

export interface FailureLimits {
  /**
   * Failures allowed in the window. A function is read at each check, so the limiter follows
   * the configuration it is given rather than the value it saw when it was made.
   */
  limit: number | (() => number);
  windowMs: number;
  /** Clients remembered at most (memory stays bounded whatever the traffic). */
  maxClients?: number;
}

/**
 * No default limit or window: the caller's configuration is the one place those numbers are
 * set. A default here equal to the configuration's (both were 5) hid a limiter built without
 * its configuration: every test passed either way.
 */
export function createFailureLimiter({ limit, windowMs, maxClients = 10_000 }: FailureLimits): FailureLimiter {
  const currentLimit = typeof limit === "function" ? limit : () => limit;
  const failures = new Map<string, number[]>();
  const recent = (client: string, now: number) => (failures.get(client) ?? []).filter((t) => now - t < windowMs);
  return {
    retryAfter(client, now = Date.now()) {
      const times = recent(client, now);
      if (times.length < currentLimit()) return 0;
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

/** The X-Forwarded-For hops, first (the client's own claim) to last (appended by the nearest proxy). */
function forwardedHops(headers: Headers): string[] {
  return (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
}

/**
 * The client's address, as far as it can be known. Behind `proxies` trusted proxies (TRUST_PROXY)
 * each appended the address it received from, so the client is the hop the outermost one
 * appended. Without a trusted proxy X-Forwarded-For is the client's own words (Next keeps a
 * client-supplied one) and only the TCP peer counts. The peer's header is believed only when
 * the preload that overwrites it runs in this process; otherwise a client could name a new
 * address on every request and never be limited.
 */
export function clientAddress(
  headers: Headers,
  proxies = trustedProxies(),
  preloaded = socketAddressPreloaded(),
): string {
  const peer = (preloaded && headers.get(SOCKET_ADDRESS_HEADER)) || "unknown";
  if (proxies === 0) return peer;
  const hops = forwardedHops(headers);
  return hops.length >= proxies ? hops[hops.length - proxies]! : peer;
}
