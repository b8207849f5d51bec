// The one way to write a route handler (lib/auth/route.ts): refusals, input, and what an error
// becomes, the same for every route, staff or automation.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { asRequirement, type StaffRequirement } from "@/lib/auth/guard";
import { answerStaffRoute, bearerRoute, jsonBody, RouteError } from "@/lib/auth/route";
import { freshDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { testKey } from "@/tests/support/keys";
import { asUnderNpmStart } from "@/tests/support/socket-address";

const staff: StaffRequirement = {
  ok: true,
  account: { id: 7, username: "ada", password: "x", isActive: true, isStaff: true, isSuperuser: false },
};
const nameInput = z.object({ name: z.string().regex(/^[a-z]+$/, "Name it in lower-case letters.") });
const get = (url = "http://lab.test/admin/x") => new Request(url, { headers: { host: "lab.test" } });
const post = (origin?: string) =>
  new Request("http://lab.test/admin/x", {
    method: "POST",
    headers: { host: "lab.test", ...(origin ? { origin } : {}) },
    body: "{}",
  });
const errorOf = async (response: Response) => ({
  status: response.status,
  error: ((await response.json()) as { error: string }).error,
});

asUnderNpmStart();

describe("a staff route", () => {
  afterEach(() => vi.restoreAllMocks());

  it("answers the body's object as uncached JSON, with the query and the path's segments parsed", async () => {
    const body = vi.fn(async ({ input, staff: who }: { input: { name: string }; staff: { username: string } }) => ({
      said: `${who.username}:${input.name}`,
    }));
    const response = await answerStaffRoute(
      staff,
      get("http://lab.test/admin/x?name=ignored&extra=1"),
      { params: Promise.resolve({ name: "snapshot" }) },
      nameInput,
      body,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ said: "ada:snapshot" });
  });

  it("never runs the body for a visitor it refuses, input that does not parse, or a cross-site POST", async () => {
    const body = vi.fn(async () => ({}));
    const signedOut = await answerStaffRoute(
      asRequirement({ ok: false, reason: "signed-out" }),
      get(),
      undefined,
      undefined,
      body,
    );
    expect(await errorOf(signedOut)).toEqual({ status: 401, error: "Please sign in." });
    const researcher = await answerStaffRoute(
      asRequirement({ ok: false, reason: "not-staff" }),
      get(),
      undefined,
      undefined,
      body,
    );
    expect(await errorOf(researcher)).toEqual({ status: 403, error: "This area is for lab staff only." });
    const badInput = await answerStaffRoute(staff, get("http://lab.test/admin/x?name=A1"), undefined, nameInput, body);
    expect(await errorOf(badInput)).toEqual({ status: 400, error: "Name it in lower-case letters." });
    for (const origin of [undefined, "https://evil.example"]) {
      const crossSite = await answerStaffRoute(staff, post(origin), undefined, undefined, body);
      expect(await errorOf(crossSite)).toEqual({ status: 403, error: "Cross-site request refused." });
    }
    expect(body).not.toHaveBeenCalled();
    const sameSite = await answerStaffRoute(staff, post("http://lab.test"), undefined, undefined, body);
    expect(sameSite.status).toBe(200);
  });

  it("shows an expected refusal's own sentence and status, and logs an unexpected failure behind a general one", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const expected = await answerStaffRoute(staff, get(), undefined, undefined, async () => {
      throw new RouteError(404, "No such safety snapshot.", { "X-Why": "gone" });
    });
    expect(expected.headers.get("x-why")).toBe("gone");
    expect(await errorOf(expected)).toEqual({ status: 404, error: "No such safety snapshot." });
    expect(log).not.toHaveBeenCalled();

    const failure = new Error("SQLITE_CORRUPT at /data/secret/path");
    const unexpected = await answerStaffRoute(staff, get(), undefined, undefined, async () => {
      throw failure;
    });
    const answer = await errorOf(unexpected);
    expect(answer).toEqual({ status: 500, error: expect.stringMatching(/^Something went wrong on the server/) });
    expect(answer.error).not.toContain("SQLITE_CORRUPT");
    expect(log).toHaveBeenCalledWith("A route handler failed:", failure);
  });

  it("passes a Response the body makes on as it is (a download)", async () => {
    const download = new Response("bytes", { headers: { "Content-Disposition": "attachment; filename=x" } });
    expect(await answerStaffRoute(staff, get(), undefined, undefined, async () => download)).toBe(download);
  });
});

describe("a route for automation", () => {
  const KEY = testKey("route-wrapper");
  let client = 0;
  const call = (handler: ReturnType<typeof bearerRoute>, authorization?: string, body?: string) =>
    handler(
      new Request("http://lab.test/schedule/api/backup/x/", {
        method: body === undefined ? "GET" : "POST",
        headers: { "x-lab-socket-address": `10.8.0.${++client}`, ...(authorization ? { authorization } : {}) },
        body,
      }),
    );
  beforeEach(() => {
    freshDatabase();
    setEnv({ BACKUP_API_KEY: KEY });
  });
  afterEach(() => setEnv({ BACKUP_API_KEY: undefined }));

  it("runs the body only with the key, and answers its refusals as the backup API does", async () => {
    const body = vi.fn(async () => ({ ran: true }));
    const route = bearerRoute("export", body);
    expect((await call(route)).status).toBe(401);
    expect((await call(route, "Bearer wrong-key")).status).toBe(403);
    expect(body).not.toHaveBeenCalled();
    const allowed = await call(route, `Bearer ${KEY}`);
    expect(await allowed.json()).toEqual({ ran: true });
  });

  it("parses a JSON body, saying what it expects when it is not JSON or not that shape", async () => {
    const route = bearerRoute("export", async ({ request }) =>
      jsonBody(request, z.object({ ok: z.boolean() }), '{ "ok": true|false }'),
    );
    expect(await errorOf(await call(route, `Bearer ${KEY}`, "not json"))).toEqual({
      status: 400,
      error: 'The body must be JSON: { "ok": true|false }.',
    });
    expect(await errorOf(await call(route, `Bearer ${KEY}`, '{"ok":"yes"}'))).toEqual({
      status: 400,
      error: 'The body must be { "ok": true|false }.',
    });
    expect(await (await call(route, `Bearer ${KEY}`, '{"ok":true,"x":1}')).json()).toEqual({ ok: true });
  });
});
