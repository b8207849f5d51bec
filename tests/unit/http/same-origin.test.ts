// A request that can change something must come from this site's own pages: its Origin's host
// is ours (the Host header, or behind a trusted proxy the X-Forwarded-Host that proxy set).
import { afterEach, describe, expect, it } from "vitest";

import { isSameOrigin } from "@/lib/http/same-origin";
import { setEnv } from "@/tests/support/env";

afterEach(() => setEnv({ TRUST_PROXY: undefined }));

const request = (headers: Record<string, string>) => new Headers(headers);

describe("the same-origin check", () => {
  it("accepts an Origin whose host (with its port) is the Host header's", () => {
    expect(isSameOrigin(request({ origin: "http://lab.example:3000", host: "lab.example:3000" }), false)).toBe(true);
    expect(isSameOrigin(request({ origin: "http://lab.example:3001", host: "lab.example:3000" }), false)).toBe(false);
    expect(isSameOrigin(request({ origin: "https://evil.example", host: "lab.example" }), false)).toBe(false);
  });

  it("refuses a request without an Origin, or with one that is not a URL", () => {
    expect(isSameOrigin(request({ host: "lab.example" }), false)).toBe(false);
    expect(isSameOrigin(request({ origin: "null", host: "lab.example" }), false)).toBe(false);
    expect(isSameOrigin(request({ origin: "lab.example", host: "lab.example" }), false)).toBe(false);
  });

  it("believes X-Forwarded-Host only behind a trusted proxy, and then only the hop the proxy set (the last)", () => {
    const claimed = { origin: "https://evil.example", host: "internal:10000", "x-forwarded-host": "evil.example" };
    expect(isSameOrigin(request(claimed), false)).toBe(false);
    expect(isSameOrigin(request(claimed), true)).toBe(true);
    const chained = {
      origin: "https://evil.example",
      host: "internal:10000",
      "x-forwarded-host": "evil.example, lab.example",
    };
    expect(isSameOrigin(request(chained), true)).toBe(false);
    expect(isSameOrigin(request({ ...chained, origin: "https://lab.example" }), true)).toBe(true);
  });

  it("falls back to the Host header behind a proxy that set no X-Forwarded-Host", () => {
    expect(isSameOrigin(request({ origin: "https://lab.example", host: "lab.example" }), true)).toBe(true);
    expect(
      isSameOrigin(request({ origin: "https://lab.example", host: "lab.example", "x-forwarded-host": " " }), true),
    ).toBe(true);
  });

  it("knows whether a proxy is trusted from TRUST_PROXY when not told", () => {
    const viaProxy = request({
      origin: "https://lab.example",
      host: "internal:10000",
      "x-forwarded-host": "lab.example",
    });
    setEnv({ TRUST_PROXY: "0" });
    expect(isSameOrigin(viaProxy)).toBe(false);
    setEnv({ TRUST_PROXY: "1" });
    expect(isSameOrigin(viaProxy)).toBe(true);
  });
});
