import { describe, expect, it } from "vitest";

import { clientAddress, SOCKET_ADDRESS_HEADER } from "@/lib/http/rate-limit";
import { isSameOrigin } from "@/lib/http/same-origin";

const request = (headers: Record<string, string>) => new Headers(headers);

describe("the client's address", () => {
  it("without a trusted proxy is the TCP peer, whatever X-Forwarded-For claims", () => {
    const headers = request({ [SOCKET_ADDRESS_HEADER]: "192.0.2.1", "x-forwarded-for": "1.1.1.1, 2.2.2.2" });
    expect(clientAddress(headers, 0)).toBe("192.0.2.1");
    expect(clientAddress(request({ "x-forwarded-for": "1.1.1.1" }), 0)).toBe("unknown");
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
