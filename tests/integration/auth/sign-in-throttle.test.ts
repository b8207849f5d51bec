// Sign-in attempts sent in parallel on a real database: each is counted before its password is
// hashed, so a burst gets no more checked guesses than the allowance, and the rest are refused.
import { describe, expect, it } from "vitest";

import { createAccount } from "@/lib/auth/accounts";
import { signIn, TooManyAttempts } from "@/lib/auth/sign-in";
import { createSignInThrottle, type SignInThrottle } from "@/lib/auth/throttle";
import { recentAudit } from "@/lib/backup/audit";
import { SOCKET_ADDRESS_HEADER } from "@/lib/http/rate-limit";
import { freshDatabase } from "@/tests/support/db";
import { asUnderNpmStart } from "@/tests/support/socket-address";

const cache = globalThis as unknown as { signInThrottle?: SignInThrottle };
const from = (address: string) => new Headers({ [SOCKET_ADDRESS_HEADER]: address });
// Each guess names its client address, as the server under `npm start` learns it from the socket.
asUnderNpmStart();

describe("sign-in throttle under parallel guesses", () => {
  it("checks at most the allowance of a burst of wrong passwords and refuses the rest unchecked", async () => {
    freshDatabase();
    await createAccount({ username: "ada", password: "analytical-engine" });
    cache.signInThrottle = createSignInThrottle({ perAccount: 3, perAddress: 100 });
    const answers = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => signIn("ada", `guess-${i}`, from(`10.0.0.${i + 1}`))),
    );
    const checked = (await recentAudit(50)).filter((e) => e.kind === "sign-in");
    expect(checked).toHaveLength(3);
    const refused = answers.filter((a) => a.status === "rejected" && a.reason instanceof TooManyAttempts);
    expect(refused.length).toBe(6); // the 5 beyond the allowance, and the third failure that locked it
    expect(answers.filter((a) => a.status === "fulfilled" && a.value === null)).toHaveLength(2);
  });

  it("gives the attempt back when it signs in, so a right password is never counted", async () => {
    freshDatabase();
    await createAccount({ username: "ada", password: "analytical-engine" });
    cache.signInThrottle = createSignInThrottle({ perAccount: 100, perAddress: 2 });
    for (let i = 0; i < 3; i++)
      expect(await signIn("ada", "analytical-engine", from("10.0.0.1"))).toMatchObject({ username: "ada" });
    expect(await signIn("ada", "wrong", from("10.0.0.1"))).toBeNull();
  });

  it("keeps a per-username count only for usernames an account has; the address still counts the rest", async () => {
    freshDatabase();
    await createAccount({ username: "ada", password: "analytical-engine" });
    cache.signInThrottle = createSignInThrottle({ perAccount: 2, perAddress: 3 });
    // Made-up usernames from many addresses: no username is ever locked (none is stored).
    for (let i = 0; i < 3; i++) expect(await signIn("nobody", "guess", from(`10.0.1.${i}`))).toBeNull();
    // The same address guessing made-up usernames is still locked by its own count.
    await signIn("x1", "guess", from("10.0.2.1"));
    await signIn("x2", "guess", from("10.0.2.1"));
    await expect(signIn("x3", "guess", from("10.0.2.1"))).rejects.toBeInstanceOf(TooManyAttempts);
    // A real username is counted across addresses.
    await signIn("ada", "guess", from("10.0.3.1"));
    await expect(signIn("ada", "guess", from("10.0.3.2"))).rejects.toBeInstanceOf(TooManyAttempts);
  });
});
