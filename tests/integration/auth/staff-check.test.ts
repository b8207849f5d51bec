// The server-side staff check behind every admin page, route and action, on a real database:
// what a session token must match, the refusal each visitor gets, the one action wrapper, and
// the sign-in configuration that puts the token there. (tests/system/access.test.ts asks the
// built app the same questions over HTTP.)
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { createAccount, credentialFingerprint, type AccountRow } from "@/lib/auth/accounts";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { ACCESS_MESSAGES, asRequirement, pageRefusal, staffCheckFor, type StaffRequirement } from "@/lib/auth/guard";
import { authOptions, SESSION_MAX_AGE_SECONDS } from "@/lib/auth/options";
import { hashPassword } from "@/lib/auth/password";
import { ActionError, answerAction } from "@/lib/auth/staff-action";
import { authSecret } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { freshDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";

const tokenFor = (account: AccountRow) => ({ uid: account.id, fingerprint: credentialFingerprint(account) });

describe("the staff check of a session", () => {
  it("lets in active staff and superusers whose token matches the account as it is now", async () => {
    freshDatabase();
    const staff = await createAccount({ username: "ada", password: "analytical-engine", staff: true });
    const superuser = await prisma().user.create({
      data: { username: "root", password: staff.password, isSuperuser: true, isActive: true },
    });
    expect(await staffCheckFor(tokenFor(staff))).toEqual({ ok: true, account: staff });
    expect(await staffCheckFor(tokenFor({ ...staff, ...superuser }))).toMatchObject({ ok: true });
  });

  it("sends a visitor without a session to sign in", async () => {
    freshDatabase();
    for (const user of [undefined, {}, { uid: 0 }, { fingerprint: "x" }]) {
      expect(await staffCheckFor(user)).toEqual({ ok: false, reason: "signed-out" });
    }
  });

  it("ends a session whose account changed: new password, deleted, replaced by a restore, or deactivated", async () => {
    freshDatabase();
    const staff = await createAccount({ username: "ada", password: "analytical-engine", staff: true });
    const token = tokenFor(staff);
    expect(await staffCheckFor({ ...token, fingerprint: "0123456789abcdef" })).toEqual({ ok: false, reason: "stale" });
    expect(await staffCheckFor({ uid: staff.id })).toEqual({ ok: false, reason: "stale" });
    expect(await staffCheckFor({ ...token, uid: staff.id + 100 })).toEqual({ ok: false, reason: "stale" });
    const changed = await prisma().user.update({
      where: { id: staff.id },
      data: { password: await hashPassword("new-password", { iterations: 1 }) },
    });
    expect(await staffCheckFor(token)).toEqual({ ok: false, reason: "stale" });
    expect(await staffCheckFor(tokenFor(changed))).toMatchObject({ ok: true });
    await prisma().user.update({ where: { id: staff.id }, data: { isActive: false } });
    expect(await staffCheckFor(tokenFor(changed))).toEqual({ ok: false, reason: "stale" });
  });

  it("follows an account a restore kept under another id, by username, only while its credentials match", async () => {
    freshDatabase();
    const staff = await createAccount({ username: "ada", password: "analytical-engine", staff: true });
    const token = { ...tokenFor(staff), name: "ada" };
    await prisma().user.update({ where: { id: staff.id }, data: { id: staff.id + 40 } });
    await prisma().user.create({
      data: { id: staff.id, username: "charles", password: staff.password, isStaff: true },
    });
    expect(await staffCheckFor(token)).toMatchObject({ ok: true, account: { id: staff.id + 40, username: "ada" } });
    // Someone else's name in the token does not make their record this session's.
    expect(await staffCheckFor({ ...token, name: "charles" })).toEqual({ ok: false, reason: "stale" });
  });

  it("refuses a signed-in researcher as not staff", async () => {
    freshDatabase();
    const researcher = await createAccount({ username: "marie", password: "radium-1898" });
    expect(await staffCheckFor(tokenFor(researcher))).toEqual({ ok: false, reason: "not-staff" });
  });

  it("answers routes and actions with a sentence and a status: 401 to sign in (again), 403 for researchers", () => {
    const refusal = (reason: keyof typeof ACCESS_MESSAGES) => asRequirement({ ok: false, reason });
    expect(refusal("signed-out")).toEqual({ ok: false, error: "Please sign in.", status: 401 });
    expect(refusal("stale")).toEqual({ ok: false, error: expect.stringMatching(/sign in again/), status: 401 });
    expect(refusal("not-staff")).toEqual({ ok: false, error: "This area is for lab staff only.", status: 403 });
  });
});

describe("a server action through the one wrapper", () => {
  const staff: StaffRequirement = {
    ok: true,
    account: { id: 7, username: "ada", password: "x", isActive: true, isStaff: true, isSuperuser: false },
  };
  const schema = z.object({ name: z.string().min(1, "Give the snapshot a name.") });
  afterEach(() => vi.restoreAllMocks());

  it("runs the body with the parsed input and the staff account, and passes its answer on", async () => {
    const body = vi.fn(async (input: { name: string }, account: AccountRow) => ({
      ok: true as const,
      said: `${account.username}:${input.name}`,
    }));
    expect(await answerAction(staff, schema, body, { name: "before-upgrade", extra: 1 })).toEqual({
      ok: true,
      said: "ada:before-upgrade",
    });
    expect(body).toHaveBeenCalledWith({ name: "before-upgrade" }, staff.account);
  });

  it("never runs the body for a refused visitor or input that does not parse", async () => {
    const body = vi.fn(async () => ({ ok: true as const }));
    const refused = asRequirement({ ok: false, reason: "not-staff" });
    expect(await answerAction(refused, schema, body, { name: "x" })).toEqual({
      ok: false,
      error: "This area is for lab staff only.",
    });
    expect(await answerAction(staff, schema, body, { name: "" })).toEqual({
      ok: false,
      error: "Give the snapshot a name.",
    });
    expect(await answerAction(staff, schema, body, "not an object")).toMatchObject({ ok: false });
    expect(body).not.toHaveBeenCalled();
  });

  it("shows an expected refusal's own sentence, and logs an unexpected failure behind a general one", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const expected = await answerAction(
      staff,
      schema,
      async () => {
        throw new ActionError("A restore is running; try again when it has finished.");
      },
      { name: "x" },
    );
    expect(expected).toEqual({ ok: false, error: "A restore is running; try again when it has finished." });
    expect(log).not.toHaveBeenCalled();

    const failure = new Error("SQLITE_CORRUPT at /data/secret/path");
    const unexpected = await answerAction(
      staff,
      schema,
      async () => {
        throw failure;
      },
      { name: "x" },
    );
    expect(unexpected).toEqual({ ok: false, error: expect.stringMatching(/^Something went wrong on the server/) });
    expect(JSON.stringify(unexpected)).not.toContain("SQLITE_CORRUPT");
    expect(log).toHaveBeenCalledWith("A server action failed:", failure);
  });
});

describe("signing in", () => {
  const provider = () =>
    authOptions().providers[0] as unknown as {
      options: { authorize: (credentials: Record<string, unknown>) => Promise<Record<string, unknown> | null> };
    };

  it("issues a token with the account id and its credential fingerprint for the right password only", async () => {
    freshDatabase();
    const account = await createAccount({ username: "ada", password: "analytical-engine", staff: true });
    const user = await provider().options.authorize({ username: " ada ", password: "analytical-engine" });
    expect(user).toEqual({ id: String(account.id), name: "ada", fingerprint: credentialFingerprint(account) });
    for (const wrong of [
      { username: "ada", password: "analytical-Engine" },
      { username: "", password: "analytical-engine" },
      { username: "ada", password: "" },
      { username: "a".repeat(151), password: "analytical-engine" },
      { username: "ada", password: "p".repeat(4097) },
      {},
    ]) {
      expect(await provider().options.authorize(wrong), JSON.stringify(wrong).slice(0, 40)).toBeNull();
    }
  });

  it("carries the id and fingerprint from sign-in into the session, for eight hours", async () => {
    const options = authOptions();
    const jwt = options.callbacks!.jwt! as (a: object) => Record<string, unknown>;
    const session = options.callbacks!.session! as (a: object) => { user: unknown };
    const token = jwt({ token: { name: "ada" }, user: { id: "7", fingerprint: "abc" } });
    expect(token).toEqual({ name: "ada", uid: 7, fingerprint: "abc" });
    expect(jwt({ token })).toEqual(token);
    expect(session({ session: { expires: "" }, token }).user).toEqual({ name: "ada", uid: 7, fingerprint: "abc" });
    expect(options.session).toEqual({ strategy: "jwt", maxAge: 8 * 60 * 60 });
    expect(SESSION_MAX_AGE_SECONDS).toBe(28_800);
    expect(options.pages).toEqual({ signIn: "/signin", error: "/signin" });
  });

  it("signs tokens with NEXTAUTH_SECRET; a production server refuses to run without one", () => {
    try {
      setEnv({ NEXTAUTH_SECRET: "  configured-secret  " });
      expect(authSecret()).toBe("configured-secret");
      setEnv({ NEXTAUTH_SECRET: "", NODE_ENV: "production" });
      expect(() => authSecret()).toThrow(/NEXTAUTH_SECRET must be set in production/);
      setEnv({ NODE_ENV: "development" });
      expect(authSecret()).toMatch(/development-secret-not-for-production/);
    } finally {
      setEnv({ NEXTAUTH_SECRET: undefined, NODE_ENV: "test" });
    }
  });

  it("sends people back only to paths on this site after signing in", () => {
    expect(safeCallbackUrl("/admin/storage")).toBe("/admin/storage");
    for (const hostile of ["//evil.example", "/\\evil.example", "https://evil.example", "", undefined, 42]) {
      expect(safeCallbackUrl(hostile)).toBe("/admin");
    }
  });
});

describe("where a refused page sends its visitor", () => {
  it("sends researchers to 'no access', and everyone else to sign in and back, saying when again", () => {
    expect(pageRefusal({ ok: false, reason: "not-staff" }, "/admin/storage")).toBe("/no-access");
    expect(pageRefusal({ ok: false, reason: "signed-out" }, "/admin/storage")).toBe(
      "/signin?callbackUrl=%2Fadmin%2Fstorage",
    );
    expect(pageRefusal({ ok: false, reason: "stale" }, "/admin")).toBe("/signin?callbackUrl=%2Fadmin&reason=stale");
  });
});
