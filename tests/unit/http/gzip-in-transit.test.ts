// The gzip routes' answers carry `Content-Encoding: gzip` whatever they are (next.config.js
// sets it before the handler runs): every body must be gzip, and the export's own gzip must
// not be gzipped a second time.
import { gunzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";

import { gzipInTransit, gzippedBody } from "@/lib/http/gzip-in-transit";
import { jsonError } from "@/lib/http/json";

const request = new Request("http://localhost/schedule/api/backup/database/gzip/");
const bytesOf = async (response: Response) => Buffer.from(await response.arrayBuffer());

describe("answers sent gzipped in transit", () => {
  it("gzip a refusal's body, keeping its status, its words and its headers, without the old length", async () => {
    const refusal = jsonError(503, "The database is being restored (loading). Try again shortly.", {
      "Retry-After": "30",
      "Content-Length": "71",
    });
    const sent = await gzipInTransit(async () => refusal)(request);
    expect(sent.status).toBe(503);
    expect(sent.headers.get("retry-after")).toBe("30");
    expect(sent.headers.get("cache-control")).toBe("no-store");
    expect(sent.headers.get("content-type")).toBe("application/json");
    // The gzipped body is not 71 bytes: a stale length would cut it short or hang the client.
    expect(sent.headers.get("content-length")).toBeNull();
    const body = await bytesOf(sent);
    expect(body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(JSON.parse(gunzipSync(body).toString("utf8"))).toEqual({
      error: "The database is being restored (loading). Try again shortly.",
    });
  });

  it("keep a status text, and send a bodiless answer as an empty gzip file", async () => {
    const gone = new Response(null, { status: 499, statusText: "Client Closed Request" });
    const sent = await gzipInTransit(async () => gone)(request);
    expect([sent.status, sent.statusText]).toEqual([499, "Client Closed Request"]);
    const body = await bytesOf(sent);
    expect(body.length).toBeGreaterThan(0);
    expect(gunzipSync(body).length).toBe(0);
  });

  it("pass a body that is gzip already on untouched, the same response", async () => {
    const ownGzip = gzippedBody(new Response(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), { status: 200 }));
    const sent = await gzipInTransit(async () => ownGzip)(request);
    expect(sent).toBe(ownGzip);
    expect([...(await bytesOf(sent))]).toEqual([0x1f, 0x8b, 1, 2, 3]);
  });

  it("hand the request and the route's context to the handler", async () => {
    const context = { params: Promise.resolve({ name: "x" }) };
    let seen: unknown[] = [];
    await gzipInTransit(async (req, ctx) => {
      seen = [req, ctx];
      return new Response("ok");
    })(request, context);
    expect(seen).toEqual([request, context]);
  });
});
