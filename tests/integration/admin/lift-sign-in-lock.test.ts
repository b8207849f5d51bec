// Lifting a sign-in lock from the Users page, on a real database and the server's own throttle:
// real wrong passwords lock the account, the action goes through the same staff check and input
// parse every server action gets (answerAction), and the locked person signs in afterwards.
import { describe, expect, it } from "vitest";

import { liftAddress, LiftAddressInput } from "@/lib/admin/sign-in-locks";
import { liftLock, LiftLockInput } from "@/lib/admin/user-actions";
import { lockedAccounts } from "@/lib/admin/users";
import { createAccount, credentialFingerprint, type AccountRow } from "@/lib/auth/accounts";
import { asRequirement, staffCheckFor } from "@/lib/auth/guard";
import { FewTriesLeft, signIn, signInLocks, TooManyAttempts } from "@/lib/auth/sign-in";
import { answerAction } from "@/lib/auth/staff-action";
import { createSignInThrottle, type SignInThrottle } from "@/lib/auth/throttle";
import { recentAudit } from "@/lib/backup/audit";
import { SOCKET_ADDRESS_HEADER } from "@/lib/http/rate-limit";
import { contentHash, freshDatabase } from "@/tests/support/db";
import { asUnderNpmStart } from "@/tests/support/socket-address";

const cache = globalThis as unknown as { signInThrottle?: SignInThrottle };
const liveFile = () => process.env.DATABASE_URL!.replace("file:", "");
asUnderNpmStart();

/** What the signed-in `account` gets from the server for lifting the lock of `input`. */
async function liftAs(account: AccountRow, input: unknown) {
  const staff = asRequirement(await staffCheckFor({ uid: account.id, fingerprint: credentialFingerprint(account) }));
  return answerAction(staff, LiftLockInput, liftLock, input) as Promise<{
    ok: boolean;
    error?: string;
    summary?: string;
  }>;
}

/** Two wrong passwords (the allowance here), each from an address of its own: the username is locked. */
async function lockOut(username: string): Promise<void> {
  await signIn(username, "wrong-1", from("10.1.0.1")).catch((error: unknown) => {
    if (!(error instanceof FewTriesLeft)) throw error;
  });
  await expect(signIn(username, "wrong-2", from("10.1.0.2"))).rejects.toBeInstanceOf(TooManyAttempts);
}

const from = (address: string) => new Headers({ [SOCKET_ADDRESS_HEADER]: address });

/** Whether `username` signs in with `password` now (from an address no one failed from). */
async function signsIn(username: string, password: string): Promise<boolean> {
  const account = await signIn(username, password, from("10.2.0.1")).catch((error: unknown) => {
    if (error instanceof TooManyAttempts) return null;
    throw error;
  });
  return account !== null;
}

const lastHistory = async () => {
  const [event] = await recentAudit(1);
  return event ? { kind: event.kind, actor: event.actor, summary: JSON.parse(event.detail).summary as string } : null;
};

async function lab() {
  freshDatabase();
  cache.signInThrottle = createSignInThrottle({ perAccount: 2, perAddress: 100 });
  const lead = await createAccount({ username: "lead", password: "lead-password", staff: true, superuser: true });
  const manager = await createAccount({ username: "manager", password: "manager-password", staff: true });
  const marie = await createAccount({ username: "Marie", password: "radium-1898" });
  const pierre = await createAccount({ username: "pierre", password: "polonium-1898" });
  return { lead, manager, marie, pierre };
}

describe("a lab manager lifting a researcher's lock", () => {
  it("lists the locked account with its time left, lifts it in one action, and the researcher signs in", async () => {
    const { manager, marie } = await lab();
    await lockOut("marie");
    await lockOut("made-up-name");
    expect(await signsIn("Marie", "radium-1898")).toBe(false);
    // Only accounts are listed: a made-up username has nobody to let in.
    expect(await lockedAccounts()).toEqual([
      expect.objectContaining({ id: marie.id, username: "Marie", failures: 2, seconds: expect.any(Number) }),
    ]);
    expect((await lockedAccounts())[0]!.seconds).toBeGreaterThan(50);

    expect(await liftAs(manager, { userId: marie.id })).toEqual({ ok: true, summary: "Marie can sign in again now." });
    expect(await lockedAccounts()).toEqual([]);
    expect(await lastHistory()).toEqual({
      kind: "account",
      actor: "manager",
      // The minute's lock, less what the sign-ins took on a loaded machine.
      summary: expect.stringMatching(
        /^Lifted the sign-in lock of Marie \(locked after 2 failed sign-ins, (?:1 minute|[1-5]\d seconds) left\)$/,
      ),
    });
    expect(await signsIn("Marie", "radium-1898")).toBe(true);
  });

  it("clears the failures too: the next wrong password is told of the whole allowance again", async () => {
    const { manager, marie } = await lab();
    await lockOut("Marie");
    await liftAs(manager, { userId: marie.id });
    await expect(signIn("Marie", "wrong-3", from("10.1.0.3"))).rejects.toThrow(
      "1 more try before this account is locked for 1 minute.",
    );
  });

  it("says so, and writes nothing to the History, when the account is not locked", async () => {
    const { manager, pierre } = await lab();
    expect(await liftAs(manager, { userId: pierre.id })).toEqual({
      ok: true,
      summary: "pierre was not locked out (any more): they can sign in now.",
    });
    expect(await lastHistory()).toBeNull();
  });
});

describe("who may lift a lock", () => {
  it("refuses a researcher, even the locked one signed in elsewhere, changing nothing", async () => {
    const { marie, pierre } = await lab();
    await lockOut("Marie");
    const before = contentHash(liveFile());
    for (const asker of [pierre, marie]) {
      expect(await liftAs(asker, { userId: marie.id })).toEqual({
        ok: false,
        error: "This area is for lab staff only.",
      });
    }
    expect(contentHash(liveFile())).toBe(before);
    expect(await lockedAccounts()).toHaveLength(1);
    expect(await signsIn("Marie", "radium-1898")).toBe(false);
  });

  it("refuses input that is not an account id, changing nothing", async () => {
    const { manager, marie } = await lab();
    await lockOut("Marie");
    for (const input of [{ userId: String(marie.id) }, { username: "Marie" }, null]) {
      expect(await liftAs(manager, input)).toMatchObject({ ok: false, error: expect.any(String) });
    }
    expect(await lockedAccounts()).toHaveLength(1);
  });

  it("lets only a superuser lift a staff account's lock, and nobody their own", async () => {
    const { lead, manager } = await lab();
    const colleague = await createAccount({ username: "irene", password: "neutron-1934", staff: true });
    await lockOut("irene");
    await lockOut("manager");
    expect(await liftAs(manager, { userId: colleague.id })).toEqual({
      ok: false,
      error:
        "Only a superuser can lift the sign-in lock of irene, a staff account. Ask a superuser, or wait until it runs out.",
    });
    expect(await liftAs(manager, { userId: manager.id })).toEqual({
      ok: false,
      error: "You cannot lift your own sign-in lock. Ask another staff member.",
    });
    expect((await lockedAccounts()).map((a) => a.username).sort()).toEqual(["irene", "manager"]);
    expect(await lastHistory()).toBeNull();

    expect(await liftAs(lead, { userId: colleague.id })).toMatchObject({ ok: true });
    expect(await liftAs(lead, { userId: manager.id })).toMatchObject({ ok: true });
    expect(await lockedAccounts()).toEqual([]);
  });
});

describe("lifting a client address's lock (Manage Storage)", () => {
  /** Wrong passwords for made-up usernames from one address until it is locked (its allowance here: 3). */
  async function lockAddress(address: string) {
    cache.signInThrottle = createSignInThrottle({ perAccount: 100, perAddress: 3 });
    for (const name of ["x1", "x2"]) await signIn(name, "guess", from(address)).catch(() => null);
    await expect(signIn("x3", "guess", from(address))).rejects.toBeInstanceOf(TooManyAttempts);
  }

  it("lets everyone from it try again, written to the History with who lifted it", async () => {
    const { manager, pierre } = await lab();
    await lockAddress("203.0.113.7");
    await expect(signIn("pierre", "polonium-1898", from("203.0.113.7"))).rejects.toBeInstanceOf(TooManyAttempts);
    const answer = await answerAction(
      asRequirement(await staffCheckFor({ uid: manager.id, fingerprint: credentialFingerprint(manager) })),
      LiftAddressInput,
      liftAddress,
      { address: "203.0.113.7" },
    );
    expect(answer).toEqual({ ok: true, summary: "Sign-ins from 203.0.113.7 can try again now." });
    expect(await signInLocks()).toEqual([]);
    expect(await lastHistory()).toMatchObject({
      kind: "account",
      actor: "manager",
      summary: expect.stringMatching(/^Lifted the sign-in lock of the address 203\.0\.113\.7 \(locked after 3 failed/),
    });
    expect(await signIn("pierre", "polonium-1898", from("203.0.113.7"))).toMatchObject({ id: pierre.id });
  });

  it("refuses a researcher, changing nothing", async () => {
    const { pierre } = await lab();
    await lockAddress("203.0.113.8");
    const before = contentHash(liveFile());
    const answer = await answerAction(
      asRequirement(await staffCheckFor({ uid: pierre.id, fingerprint: credentialFingerprint(pierre) })),
      LiftAddressInput,
      liftAddress,
      { address: "203.0.113.8" },
    );
    expect(answer).toEqual({ ok: false, error: "This area is for lab staff only." });
    expect(contentHash(liveFile())).toBe(before);
    expect(await signInLocks()).toMatchObject([{ scope: "address", name: "203.0.113.8" }]);
  });
});
