import { afterEach, describe, expect, it, vi } from "vitest";

import { signInErrorWords } from "@/lib/auth/sign-in-words";
import { createSignInThrottle, lockSeconds } from "@/lib/auth/throttle";
import { waitInWords } from "@/lib/format";

afterEach(() => {
  vi.useRealTimers();
});

describe("how long a lock lasts", () => {
  it("none within the allowance, then 1 minute, doubling with each further failure, at most an hour", () => {
    expect([4, 5, 6, 7, 8, 10, 11, 12, 500].map((n) => lockSeconds(n, 5))).toEqual([
      0, 60, 120, 240, 480, 1920, 3600, 3600, 3600,
    ]);
  });
});

describe("the sign-in throttle", () => {
  it("locks a username after its allowance of failures, whatever address they come from", async () => {
    const throttle = createSignInThrottle({ perAccount: 3, perAddress: 100 });
    expect(await throttle.failed("ada", "10.0.0.1")).toEqual([]);
    expect(await throttle.failed("ADA", "10.0.0.2")).toEqual([]);
    expect(await throttle.wait("ada", "10.0.0.9")).toBe(0);
    expect(await throttle.failed("ada ", "10.0.0.3")).toEqual([{ scope: "account", seconds: 60, failures: 3 }]);
    expect(await throttle.wait("Ada", "10.0.0.9")).toBeGreaterThan(55);
    expect(await throttle.wait("grace", "10.0.0.9")).toBe(0);
  });

  it("locks an address after its allowance, whatever usernames it tries", async () => {
    const throttle = createSignInThrottle({ perAccount: 100, perAddress: 3 });
    await throttle.failed("a", "10.0.0.1");
    await throttle.failed("b", "10.0.0.1");
    expect(await throttle.failed("c", "10.0.0.1")).toEqual([{ scope: "address", seconds: 60, failures: 3 }]);
    expect(await throttle.wait("someone-else", "10.0.0.1")).toBeGreaterThan(55);
    expect(await throttle.wait("someone-else", "10.0.0.2")).toBe(0);
  });

  it("grows the lock with each failure after one expires, and forgets a username's failures when it signs in", async () => {
    vi.useFakeTimers({ now: new Date("2026-12-05T00:00:00Z") });
    const throttle = createSignInThrottle({ perAccount: 2, perAddress: 100 });
    await throttle.failed("ada", "x");
    expect((await throttle.failed("ada", "x"))[0]?.seconds).toBe(60);
    vi.advanceTimersByTime(61_000);
    expect(await throttle.wait("ada", "x")).toBe(0);
    expect((await throttle.failed("ada", "x"))[0]?.seconds).toBe(120);
    vi.advanceTimersByTime(121_000);
    await throttle.succeeded("ada");
    expect(await throttle.failed("ada", "x")).toEqual([]);
  });
});

describe("attempts through begin, as sign-in makes them", () => {
  /** One sign-in attempt: begun, then settled as the password check answers. */
  async function attempt(throttle: ReturnType<typeof createSignInThrottle>, right: boolean) {
    const begun = await throttle.begin("ada", "10.0.0.1");
    if (!("failed" in begun)) return { refusedFor: begun.refusedFor };
    if (right) {
      await begun.succeeded();
      return { signedIn: true };
    }
    return { lockouts: await begun.failed() };
  }

  it("lets the right password in once a lock has run out, and locks a wrong one twice as long", async () => {
    vi.useFakeTimers({ now: new Date("2026-12-05T00:00:00Z") });
    const throttle = createSignInThrottle({ perAccount: 5, perAddress: 20 });
    for (let i = 0; i < 4; i++) expect(await attempt(throttle, false)).toEqual({ lockouts: [] });
    expect(await attempt(throttle, false)).toEqual({ lockouts: [{ scope: "account", seconds: 60, failures: 5 }] });
    expect(await attempt(throttle, true)).toEqual({ refusedFor: 60 });

    vi.advanceTimersByTime(61_000);
    expect(await attempt(throttle, false)).toEqual({ lockouts: [{ scope: "account", seconds: 120, failures: 6 }] });
    vi.advanceTimersByTime(61_000);
    expect(await attempt(throttle, true)).toEqual({ refusedFor: 59 });
    vi.advanceTimersByTime(60_000);
    expect(await attempt(throttle, true)).toEqual({ signedIn: true });
    // Signed in: the username's count starts again.
    for (let i = 0; i < 4; i++) expect(await attempt(throttle, false)).toEqual({ lockouts: [] });
  });

  it("after a lock has run out, lets one attempt of a burst be checked and refuses the rest uncounted", async () => {
    vi.useFakeTimers({ now: new Date("2026-12-05T00:00:00Z") });
    const throttle = createSignInThrottle({ perAccount: 2, perAddress: 100 });
    for (let i = 0; i < 2; i++) await attempt(throttle, false);
    vi.advanceTimersByTime(61_000);
    const burst = await Promise.all([1, 2, 3].map(() => throttle.begin("ada", "10.0.0.1")));
    expect(burst.map((b) => b.refusedFor)).toEqual([0, 60, 60]);
    const checked = burst[0]!;
    if (!("failed" in checked)) throw new Error("the first attempt was not let through");
    expect(await checked.failed()).toEqual([{ scope: "account", seconds: 120, failures: 3 }]);
  });

  it("an address locked after its allowance opens again when the lock runs out", async () => {
    vi.useFakeTimers({ now: new Date("2026-12-05T00:00:00Z") });
    const throttle = createSignInThrottle({ perAccount: 100, perAddress: 3 });
    for (const name of ["a", "b", "c"]) await throttle.failed(name, "10.0.0.7");
    expect(await throttle.begin("someone", "10.0.0.7")).toEqual({ refusedFor: 60 });
    vi.advanceTimersByTime(61_000);
    const after = await throttle.begin("someone", "10.0.0.7");
    expect(after.refusedFor).toBe(0);
  });
});

describe("the throttle's memory", () => {
  it("remembers at most maxAddresses addresses, forgetting the least recently seen", async () => {
    const throttle = createSignInThrottle({ perAccount: 100, perAddress: 1, maxAddresses: 3 });
    for (const address of ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) await throttle.failed(null, address);
    for (const address of ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) expect(await throttle.wait(null, address)).toBe(60);
    // Seen again (locked, so refused): now the most recent of the three.
    expect(await throttle.begin(null, "10.0.0.1")).toEqual({ refusedFor: 60 });
    await throttle.failed(null, "10.0.0.4");
    expect(await throttle.wait(null, "10.0.0.2")).toBe(0);
    for (const address of ["10.0.0.3", "10.0.0.4"]) expect(await throttle.wait(null, address)).toBe(60);
  });

  it("never forgets a username's lock to make room for addresses", async () => {
    const throttle = createSignInThrottle({ perAccount: 1, perAddress: 100, maxAddresses: 2 });
    expect(await throttle.failed("ada", "10.0.0.1")).toEqual([{ scope: "account", seconds: 60, failures: 1 }]);
    for (let i = 2; i < 50; i++) await throttle.failed(null, `10.0.0.${i}`);
    expect(await throttle.wait("ada", "10.0.0.99")).toBe(60);
  });
});

describe("the wait in words", () => {
  it("rounds up, in the largest unit that reads naturally", () => {
    expect([1, 45, 59.2, 60, 61, 240, 3599, 3600, 3601].map(waitInWords)).toEqual([
      "1 second",
      "45 seconds",
      "1 minute",
      "1 minute",
      "2 minutes",
      "4 minutes",
      "1 hour",
      "1 hour",
      "2 hours",
    ]);
  });

  it("the sign-in page repeats the throttle's message and nothing else a link could carry", () => {
    expect(signInErrorWords("Too many attempts. Try again in 4 minutes.")).toBe(
      "Too many attempts. Try again in 4 minutes.",
    );
    for (const other of ["CredentialsSignin", "Too many attempts. Call 555-0100.", "SQLITE_BUSY", undefined]) {
      expect(signInErrorWords(other)).toBe("Wrong username or password, or the account is inactive.");
    }
  });
});
