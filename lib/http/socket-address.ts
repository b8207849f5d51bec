// Whether this process can tell clients apart by their TCP peer. Route handlers see headers,
// never the socket; scripts/socket-address.cjs (preloaded by `npm start`) writes the peer's
// address under SOCKET_ADDRESS_HEADER on every request and sets this marker. Without the
// preload nothing overwrites that header, so it is whatever the client chose to send.

/** The header the preload writes; keep in step with scripts/socket-address.cjs. */
export const SOCKET_ADDRESS_HEADER = "x-lab-socket-address";

/** The process-wide marker the preload sets (Symbol.for: the same key from CommonJS and the bundle). */
export const SOCKET_ADDRESS_MARKER = Symbol.for("lab-queue-admin.socket-address-preload");

/** True when the preload runs in this process, so SOCKET_ADDRESS_HEADER is the server's own. */
export function socketAddressPreloaded(): boolean {
  return (globalThis as Record<symbol, unknown>)[SOCKET_ADDRESS_MARKER] === true;
}

/**
 * Why a server must not start, or null. In production, without the preload every client would
 * share one address for the rate limits (one attacker could lock everyone out), or, if the
 * header were believed, pick a fresh one per request and never be limited.
 */
export function socketAddressStartupProblem(production: boolean, preloaded = socketAddressPreloaded()): string | null {
  if (!production || preloaded) return null;
  return (
    "The server was started without scripts/socket-address.cjs, so it cannot tell clients apart " +
    "for the sign-in and backup API limits. Start it with `npm start`."
  );
}
