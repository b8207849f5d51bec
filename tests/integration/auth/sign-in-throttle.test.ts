// Sign-in attempts sent in parallel on a real database: each is counted before its password is
// hashed, so a burst gets no more checked guesses than the allowance, and the rest are refused.
import { describe, expect, it } from "vitest";

import { createAccount } from "@/lib/auth/accounts";
import { verifyPassword } from "@/lib/auth/password";
import { FewTriesLeft, passwordWait, provePassword, signIn, TooManyAttempts } from "@/lib/auth/sign-in";
import { createSignInThrottle, type SignInThrottle } from "@/lib/auth/throttle";
import { recentAudit, SIGN_IN_KINDS } from "@/lib/backup/audit";
import { prisma } from "@/lib/db/prisma";
import { SOCKET_ADDRESS_HEADER } from "@/lib/http/rate-limit";
import { freshDatabase } from "@/tests/support/db";
import { asUnderNpmStart } from "@/tests/support/socket-address";

const cache = globalThis as unknown as { signInThrottle?: SignInThrottle };
const from = (address: string) => new Headers({ [SOCKET_ADDRESS_HEADER]: address });
// Each guess names its client address, as the server under `npm start` learns it from the socket.
asUnderNpmStart();
/** A sign-in refused as a wrong password: null, with or without the warning of how many tries are left. */
const refusedUnlocked = (answer: Promise<unknown>) =>
  answer.catch((error: unknown) => (error instanceof FewTriesLeft ? null : Promise.reject(error)));

describe("sign-in throttle under parallel guesses", () => {
  it("checks at most the allowance of a burst of wrong passwords and refuses the rest unchecked", async () => {
    freshDatabase();
    await createAccount({ username: "ada", password: "analytical-engine" });
    cache.signInThrottle = createSignInThrottle({ perAccount: 3, perAddress: 100 });
    const answers = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => signIn("ada", `guess-${i}`, from(`10.0.0.${i + 1}`))),
    );
    const checked = (await recentAudit(50, SIGN_IN_KINDS)).filter((e) => e.kind === "sign-in");
    expect(checked).toHaveLength(3);
    const refused = answers.filter((a) => a.status === "rejected" && a.reason instanceof TooManyAttempts);
    expect(refused.length).toBe(6); // the 5 beyond the allowance, and the third failure that locked it
    const warned = answers.flatMap((a) =>
      a.status === "rejected" && a.reason instanceof FewTriesLeft ? [a.reason] : [],
    );
    expect(warned.map((w) => w.left.tries).sort()).toEqual([1, 2]);
  });

  it("gives the attempt back when it signs in, so a right password is never counted", async () => {
    freshDatabase();
    await createAccount({ username: "ada", password: "analytical-engine" });
    cache.signInThrottle = createSignInThrottle({ perAccount: 100, perAddress: 2 });
    for (let i = 0; i < 3; i++)
      expect(await signIn("ada", "analytical-engine", from("10.0.0.1"))).toMatchObject({ username: "ada" });
    // The address's first failure: the three right passwords were given back.
    await expect(signIn("ada", "wrong", from("10.0.0.1"))).rejects.toThrow(
      "1 more try before sign-ins from your network are locked for 1 minute.",
    );
  });

  it("counts a username no account has as it counts a real one; the address counts every username", async () => {
    freshDatabase();
    await createAccount({ username: "ada", password: "analytical-engine" });
    cache.signInThrottle = createSignInThrottle({ perAccount: 2, perAddress: 3 });
    // A made-up username from many addresses is locked as a real one would be.
    expect(await refusedUnlocked(signIn("nobody", "guess", from("10.0.1.1")))).toBeNull();
    await expect(signIn("nobody", "guess", from("10.0.1.2"))).rejects.toThrow(
      "Too many attempts. Try again in 1 minute.",
    );
    // The same address guessing made-up usernames is locked by its own count.
    await refusedUnlocked(signIn("x1", "guess", from("10.0.2.1")));
    await refusedUnlocked(signIn("x2", "guess", from("10.0.2.1")));
    await expect(signIn("x3", "guess", from("10.0.2.1"))).rejects.toBeInstanceOf(TooManyAttempts);
    // A real username is counted across addresses.
    await refusedUnlocked(signIn("ada", "guess", from("10.0.3.1")));
    await expect(signIn("ada", "guess", from("10.0.3.2"))).rejects.toBeInstanceOf(TooManyAttempts);
  });
});

describe("the warning before a lock", () => {
  /** What each of `n` wrong passwords for `username` is told, each from an address of its own. */
  async function told(username: string, n: number): Promise<string[]> {
    const answers: string[] = [];
    for (let i = 0; i < n; i++) {
      const answer = await signIn(username, `guess-${i}`, from(`10.5.${username.length}.${i}`)).catch(
        (error: Error) => error.message,
      );
      answers.push(answer === null ? "null" : String(answer));
    }
    return answers;
  }

  it("tells the last two wrong passwords before the lock how many are left, in the same words for any username", async () => {
    freshDatabase();
    await createAccount({ username: "ada", password: "analytical-engine" });
    const inactive = await createAccount({ username: "babbage", password: "difference-engine" });
    await prisma().user.update({ where: { id: inactive.id }, data: { isActive: false } });
    cache.signInThrottle = createSignInThrottle({ perAccount: 5, perAddress: 100 });
    const expected = [
      "null",
      "null",
      "Wrong username or password, or the account is inactive. 2 more tries before this account is locked for 1 minute.",
      "Wrong username or password, or the account is inactive. 1 more try before this account is locked for 1 minute.",
      "Too many attempts. Try again in 1 minute.",
      "Too many attempts. Try again in 1 minute.",
    ];
    expect(await told("ada", 6)).toEqual(expected);
    expect(await told("no-such-user", 6)).toEqual(expected);
    expect(await told("babbage", 6)).toEqual(expected);
  });

  it("a right password is never warned, and signing in gives the username its whole allowance again", async () => {
    freshDatabase();
    await createAccount({ username: "ada", password: "analytical-engine" });
    cache.signInThrottle = createSignInThrottle({ perAccount: 3, perAddress: 100 });
    await expect(signIn("ada", "guess", from("10.6.0.1"))).rejects.toBeInstanceOf(FewTriesLeft);
    expect(await signIn("ada", "analytical-engine", from("10.6.0.1"))).toMatchObject({ username: "ada" });
    await expect(signIn("ada", "guess", from("10.6.0.1"))).rejects.toThrow(/2 more tries before this account/);
  });
});

describe("a password proved without signing in (a restore's 'sign in as' check)", () => {
  it("is throttled and counted together with sign-ins of that username, and written to the History", async () => {
    freshDatabase();
    const ada = await createAccount({ username: "ada", password: "analytical-engine", staff: true });
    cache.signInThrottle = createSignInThrottle({ perAccount: 3, perAddress: 100 });
    // The hash a backup file holds for ada (here: the live one, as in a recent backup).
    const proof = (typed: string, address: string) =>
      provePassword("ada", from(address), () => verifyPassword(typed, ada.password));
    expect(await proof("analytical-engine", "10.0.4.1")).toBe(true);
    expect(await proof("guess-1", "10.0.4.1")).toBe(false);
    expect(await refusedUnlocked(signIn("ada", "guess-2", from("10.0.4.2")))).toBeNull();
    // The third failure, whichever way it came, locks the username for both.
    await expect(proof("guess-3", "10.0.4.3")).rejects.toThrow("Too many attempts. Try again in 1 minute.");
    expect(await passwordWait("ada", from("10.0.4.9"))).toBe(60);
    await expect(proof("analytical-engine", "10.0.4.4")).rejects.toBeInstanceOf(TooManyAttempts);
    await expect(signIn("ada", "analytical-engine", from("10.0.4.5"))).rejects.toBeInstanceOf(TooManyAttempts);
    const history = (await recentAudit(50, SIGN_IN_KINDS)).map((e) => `${e.kind}: ${e.detail}`);
    expect(history).toContain('sign-in: Wrong password for "ada" in a restore\'s sign-in check, from 10.0.4.1.');
    expect(history).toContain('lockout: Sign-in locked for 1 minute for the username "ada" after 3 failed attempts.');
  });
});
