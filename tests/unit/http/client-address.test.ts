import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { clientAddress, SOCKET_ADDRESS_HEADER } from "@/lib/http/rate-limit";
import { isSameOrigin } from "@/lib/http/same-origin";
import { SOCKET_ADDRESS_MARKER, socketAddressPreloaded, socketAddressStartupProblem } from "@/lib/http/socket-address";

const request = (headers: Record<string, string>) => new Headers(headers);
const marker = globalThis as Record<symbol, unknown>;

describe("the client's address", () => {
  // As under `npm start`: the preload (scripts/socket-address.cjs) overwrites the header.
  beforeEach(() => {
    marker[SOCKET_ADDRESS_MARKER] = true;
  });
  afterEach(() => {
    delete marker[SOCKET_ADDRESS_MARKER];
  });

  it("without a trusted proxy is the TCP peer, whatever X-Forwarded-For claims", () => {
    const headers = request({ [SOCKET_ADDRESS_HEADER]: "192.0.2.1", "x-forwarded-for": "1.1.1.1, 2.2.2.2" });
    expect(clientAddress(headers, 0)).toBe("192.0.2.1");
    expect(clientAddress(request({ "x-forwarded-for": "1.1.1.1" }), 0)).toBe("unknown");
  });

  it("behind N trusted proxies takes the hop the outermost appended, also when there are exactly N hops", () => {
    expect(clientAddress(request({ "x-forwarded-for": "203.0.113.7" }), 1)).toBe("203.0.113.7");
    expect(clientAddress(request({ "x-forwarded-for": "198.51.100.1, 203.0.113.7" }), 2)).toBe("198.51.100.1");
    expect(clientAddress(request({ [SOCKET_ADDRESS_HEADER]: "192.0.2.9", "x-forwarded-for": "203.0.113.7" }), 2)).toBe(
      "192.0.2.9",
    );
  });

  it("ignores the peer header when the preload that overwrites it is not running (a client could forge it)", () => {
    delete marker[SOCKET_ADDRESS_MARKER];
    expect(socketAddressPreloaded()).toBe(false);
    expect(clientAddress(request({ [SOCKET_ADDRESS_HEADER]: "192.0.2.1" }), 0)).toBe("unknown");
    expect(clientAddress(request({ [SOCKET_ADDRESS_HEADER]: "10.0.0.1", "x-forwarded-for": "a" }), 2)).toBe("unknown");
  });

  it("believes the header set by the real preload script", async () => {
    delete marker[SOCKET_ADDRESS_MARKER];
    // @ts-expect-error: a CommonJS script without types, loaded as `node --require` loads it.
    await import("../../../scripts/socket-address.cjs");
    expect(socketAddressPreloaded()).toBe(true);
    expect(clientAddress(request({ [SOCKET_ADDRESS_HEADER]: "192.0.2.9" }), 0)).toBe("192.0.2.9");
  });

  it("behind one trusted proxy is the hop that proxy appended (the last), not the client's own claims", () => {
    const headers = request({ [SOCKET_ADDRESS_HEADER]: "10.0.0.1", "x-forwarded-for": "6.6.6.6, 203.0.113.7" });
    expect(clientAddress(headers, 1)).toBe("203.0.113.7");
  });

  it("behind two proxies is the hop the outer one appended", () => {
    const headers = request({ "x-forwarded-for": "6.6.6.6 , 203.0.113.7,10.0.0.2" });
    expect(clientAddress(headers, 2)).toBe("203.0.113.7");
  });

  it("falls back to the TCP peer when fewer hops came than proxies are trusted", () => {
    expect(clientAddress(request({ [SOCKET_ADDRESS_HEADER]: "10.0.0.1" }), 1)).toBe("10.0.0.1");
    expect(clientAddress(request({ [SOCKET_ADDRESS_HEADER]: "10.0.0.1", "x-forwarded-for": "a" }), 2)).toBe("10.0.0.1");
  });
});

describe("starting without the preload", () => {
  it("is refused in production, with a plain message naming npm start", () => {
    expect(socketAddressStartupProblem(true, false)).toMatch(/Start it with `npm start`/);
    expect(socketAddressStartupProblem(true, true)).toBeNull();
    expect(socketAddressStartupProblem(false, false)).toBeNull();
  });
});

describe("same origin", () => {
  const ours = { origin: "https://lab.example", host: "lab.example" };

  it("compares Origin with Host", () => {
    expect(isSameOrigin(request(ours), false)).toBe(true);
    expect(isSameOrigin(request({ ...ours, origin: "https://evil.example" }), false)).toBe(false);
    expect(isSameOrigin(request({ host: "lab.example" }), false)).toBe(false);
    expect(isSameOrigin(request({ ...ours, origin: "not a url" }), false)).toBe(false);
  });

  it("ignores X-Forwarded-Host unless a trusted proxy sets it", () => {
    const forged = request({ origin: "https://evil.example", host: "lab.example", "x-forwarded-host": "evil.example" });
    expect(isSameOrigin(forged, false)).toBe(false);
    const proxied = request({
      origin: "https://lab.example",
      host: "internal:10000",
      "x-forwarded-host": "evil.example, lab.example",
    });
    expect(isSameOrigin(proxied, true)).toBe(true);
    expect(isSameOrigin(proxied, false)).toBe(false);
  });
});
