import { afterEach, describe, expect, it, vi } from "vitest";

import { fewTriesLeftWords, signInErrorWords } from "@/lib/auth/sign-in-words";
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

describe("a username no account has", () => {
  /** A wrong password through begin, as sign-in makes it: the warning it would get, or the locks it started. */
  async function wrong(throttle: ReturnType<typeof createSignInThrottle>, username: string, exists: boolean) {
    const begun = await throttle.begin(username, `10.9.${Math.random()}`, exists);
    if (!("failed" in begun)) return { refusedFor: begun.refusedFor };
    const lockouts = await begun.failed();
    return lockouts.length > 0 ? { lockouts } : { triesLeft: begun.triesLeft };
  }

  it("is counted, warned and locked exactly as a real one, from any address", async () => {
    const throttle = createSignInThrottle({ perAccount: 4, perAddress: 100 });
    const real = [];
    const made = [];
    for (let i = 0; i < 6; i++) {
      real.push(await wrong(throttle, "ada", true));
      made.push(await wrong(throttle, "no-such-person", false));
    }
    expect(made).toEqual(real);
    expect(real).toEqual([
      { triesLeft: { scope: "account", tries: 3, lockSeconds: 60 } },
      { triesLeft: { scope: "account", tries: 2, lockSeconds: 60 } },
      { triesLeft: { scope: "account", tries: 1, lockSeconds: 60 } },
      { lockouts: [{ scope: "account", seconds: 60, failures: 4 }] },
      { refusedFor: 60 },
      { refusedFor: 60 },
    ]);
  });

  it("is remembered among at most maxUnknownUsernames, never pushing out a real username", async () => {
    const throttle = createSignInThrottle({ perAccount: 1, perAddress: 1000, maxUnknownUsernames: 2 });
    await throttle.failed("ada", "10.0.0.1", true);
    for (const name of ["made-up-1", "made-up-2"]) await throttle.failed(name, "10.0.0.1", false);
    for (const name of ["ada", "made-up-1", "made-up-2"]) expect(await throttle.wait(name, "10.0.0.2")).toBe(60);
    // A third made-up username pushes out the least recently counted one, and only that one.
    await throttle.failed("made-up-3", "10.0.0.1", false);
    expect(await throttle.wait("made-up-1", "10.0.0.2")).toBe(0);
    for (const name of ["ada", "made-up-2", "made-up-3"]) expect(await throttle.wait(name, "10.0.0.2")).toBe(60);
  });

  it("never pushes out a real username tried in another case (no account has 'ADA', but it shares ada's lock)", async () => {
    const throttle = createSignInThrottle({ perAccount: 1, perAddress: 1000, maxUnknownUsernames: 1 });
    await throttle.failed("ada", "10.0.0.1", true);
    expect(await throttle.begin("ADA", "10.0.0.1", false)).toEqual({ refusedFor: 60 });
    for (const name of ["made-up-1", "made-up-2"]) await throttle.failed(name, "10.0.0.1", false);
    expect(await throttle.wait("ada", "10.0.0.2")).toBe(60);
  });
});

describe("what a wrong password is told before a lock", () => {
  it("the tries left in the scope nearest a lock: the address's when it has fewer left than the username", async () => {
    const throttle = createSignInThrottle({ perAccount: 4, perAddress: 5 });
    const first = await throttle.begin("ada", "10.0.0.1");
    if (!("failed" in first)) throw new Error("the first attempt was refused");
    expect(first.triesLeft).toEqual({ scope: "account", tries: 3, lockSeconds: 60 });
    expect(await first.failed()).toEqual([]);
    await throttle.failed("grace", "10.0.0.1");
    await throttle.failed("grace", "10.0.0.1");
    const next = await throttle.begin("ada", "10.0.0.1");
    expect("triesLeft" in next && next.triesLeft).toEqual({ scope: "address", tries: 1, lockSeconds: 60 });
  });

  it("nothing once past the allowance: the next failure locks again, twice as long", async () => {
    vi.useFakeTimers({ now: new Date("2026-12-05T00:00:00Z") });
    const throttle = createSignInThrottle({ perAccount: 2, perAddress: 100 });
    await throttle.failed("ada", "x");
    await throttle.failed("ada", "x");
    vi.advanceTimersByTime(61_000);
    const begun = await throttle.begin("ada", "x");
    expect("triesLeft" in begun && begun.triesLeft).toEqual({ scope: "address", tries: 97, lockSeconds: 60 });
  });

  it("says so in plain words, which the sign-in page repeats", () => {
    const words = [
      fewTriesLeftWords(2, "account", 60),
      fewTriesLeftWords(1, "account", 60),
      fewTriesLeftWords(1, "address", 60),
    ];
    expect(words).toEqual([
      "Wrong username or password, or the account is inactive. 2 more tries before this account is locked for 1 minute.",
      "Wrong username or password, or the account is inactive. 1 more try before this account is locked for 1 minute.",
      "Wrong username or password, or the account is inactive. 1 more try before sign-ins from your network are locked for 1 minute.",
    ]);
    for (const sentence of words) expect(signInErrorWords(sentence)).toBe(sentence);
    expect(signInErrorWords(`${words[0]} Call 555-0100.`)).toBe(
      "Wrong username or password, or the account is inactive.",
    );
  });
});

describe("locks staff can see and lift", () => {
  it("lists the locks held now with the seconds left, longest first, and drops those that ran out", async () => {
    vi.useFakeTimers({ now: new Date("2026-12-05T00:00:00Z") });
    const throttle = createSignInThrottle({ perAccount: 1, perAddress: 3 });
    await throttle.failed("Ada", "10.0.0.1");
    vi.advanceTimersByTime(20_000);
    await throttle.failed("grace", "10.0.0.1");
    await throttle.failed("grace", "10.0.0.1");
    expect(await throttle.locks()).toEqual([
      { scope: "account", name: "grace", seconds: 120, failures: 2 },
      { scope: "address", name: "10.0.0.1", seconds: 60, failures: 3 },
      { scope: "account", name: "ada", seconds: 40, failures: 1 },
    ]);
    vi.advanceTimersByTime(41_000);
    expect((await throttle.locks()).map((l) => l.name)).toEqual(["grace", "10.0.0.1"]);
  });

  it("lifting a username's lock clears its failures too: it gets its whole allowance again", async () => {
    const throttle = createSignInThrottle({ perAccount: 3, perAddress: 100 });
    for (let i = 0; i < 3; i++) await throttle.failed("ada", `10.0.0.${i}`);
    expect(await throttle.wait("ada", "10.0.0.9")).toBe(60);
    expect(await throttle.lift("account", "ADA")).toEqual({ scope: "account", name: "ada", seconds: 60, failures: 3 });
    expect(await throttle.wait("ada", "10.0.0.9")).toBe(0);
    expect(await throttle.locks()).toEqual([]);
    expect(await throttle.failed("ada", "10.0.0.9")).toEqual([]);
    expect(await throttle.failed("ada", "10.0.0.9")).toEqual([]);
    // Another username's lock is left alone.
    expect(await throttle.lift("account", "grace")).toBeNull();
  });

  it("lifting an address's lock lets anyone from it try again, and leaves the usernames' locks", async () => {
    const throttle = createSignInThrottle({ perAccount: 1, perAddress: 2 });
    await throttle.failed("ada", "10.0.0.1");
    await throttle.failed("grace", "10.0.0.1");
    expect(await throttle.lift("address", "10.0.0.1")).toMatchObject({ scope: "address", name: "10.0.0.1" });
    expect(await throttle.wait("someone", "10.0.0.1")).toBe(0);
    expect(await throttle.wait("ada", "10.0.0.1")).toBe(60);
    const left = (await throttle.locks()).map((l) => `${l.scope} ${l.name}`);
    expect(left.sort()).toEqual(["account ada", "account grace"]);
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
