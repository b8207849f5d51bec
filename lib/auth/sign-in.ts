// One sign-in attempt: throttled (lib/auth/throttle.ts) per username and per client address,
// failures and lock-outs written to the History on Manage Storage.
import { authenticate, usernameExists, type AccountRow } from "@/lib/auth/accounts";
import { fewTriesLeftWords } from "@/lib/auth/sign-in-words";
import {
  createSignInThrottle,
  type HeldLock,
  type Lockout,
  type SignInThrottle,
  type TriesLeft,
} from "@/lib/auth/throttle";
import { recordAudit } from "@/lib/backup/audit";
import { signInThrottleSettings } from "@/lib/config";
import { waitInWords } from "@/lib/format";
import { clientAddress } from "@/lib/http/rate-limit";

// On globalThis: a module can be loaded more than once per server process by Next's bundles.
const cache = globalThis as unknown as { signInThrottle?: SignInThrottle };
const throttle = () => (cache.signInThrottle ??= createSignInThrottle(signInThrottleSettings()));

/** A sign-in refused because of earlier failures; its message is shown as it is. */
export class TooManyAttempts extends Error {
  constructor(readonly waitSeconds: number) {
    super(`Too many attempts. Try again in ${waitInWords(waitSeconds)}.`);
  }
}

/** Wrong passwords left before a lock at which a wrong one is told how many: the last two. */
export const WARN_WITHIN_TRIES = 2;

/** A wrong username or password with few tries left before a lock; its message says how many. */
export class FewTriesLeft extends Error {
  constructor(readonly left: TriesLeft) {
    super(fewTriesLeftWords(left.tries, left.scope, left.lockSeconds));
  }
}

function lockoutWords(username: string, address: string, lock: Lockout): string {
  const what = lock.scope === "account" ? `the username "${username}"` : `the address ${address}`;
  return `Sign-in locked for ${waitInWords(lock.seconds)} for ${what} after ${lock.failures} failed attempts.`;
}

async function recordFailure(username: string, address: string, lockouts: Lockout[], what: string): Promise<void> {
  const startedAt = new Date();
  const actor = username.slice(0, 150);
  await recordAudit({
    kind: "sign-in",
    source: "ui",
    actor,
    startedAt,
    result: "failed",
    detail: `${what}, from ${address}.`,
  });
  for (const lock of lockouts) {
    await recordAudit({
      kind: "lockout",
      source: "ui",
      actor,
      startedAt,
      result: "failed",
      detail: lockoutWords(username, address, lock),
    });
  }
}

/**
 * Runs `check` (one password check for `username`) under the sign-in throttle: refused before
 * it runs while the username or the client's address is locked, counted as a failure when it
 * answers null, and written to the History as `what` went wrong. Throws TooManyAttempts while
 * locked and when this failure locks. Sign-in and every other place that takes a password go
 * through here, so none of them is a way around the throttle.
 */
async function throttled<T>(
  username: string,
  headers: Headers,
  what: string,
  check: () => Promise<T | null>,
): Promise<{ result: T | null; triesLeft: TriesLeft | null }> {
  const address = clientAddress(headers);
  // Counted before the ~1 s hash, so parallel guesses cannot all pass a check made before any failed.
  // A username no account has is counted alike, in a bounded memory (made-up ones cannot grow it).
  const exists = await usernameExists(username);
  const attempt = await throttle().begin(username, address, exists);
  if (attempt.refusedFor > 0 || !("failed" in attempt)) throw new TooManyAttempts(attempt.refusedFor);
  const result = await check();
  if (result !== null) {
    await attempt.succeeded();
    return { result, triesLeft: null };
  }
  const lockouts = await attempt.failed();
  await recordFailure(username, address, lockouts, what);
  if (lockouts.length > 0) throw new TooManyAttempts(Math.max(...lockouts.map((l) => l.seconds)));
  return { result: null, triesLeft: attempt.triesLeft };
}

/**
 * The account, or null for a wrong username or password; throws TooManyAttempts while the
 * username or the address is locked (no password is checked then) and when this failure locks
 * it, and FewTriesLeft for a wrong one that leaves WARN_WITHIN_TRIES or fewer before a lock.
 */
export async function signIn(username: string, password: string, headers: Headers): Promise<AccountRow | null> {
  const { result, triesLeft } = await throttled(username, headers, "Wrong username or password", () =>
    authenticate(username, password),
  );
  if (result === null && triesLeft !== null && triesLeft.tries <= WARN_WITHIN_TRIES) throw new FewTriesLeft(triesLeft);
  return result;
}

/**
 * A password typed to prove who someone is without signing in (a restore's "sign in as" one of
 * the backup's staff), checked by `matches`: throttled and counted with sign-ins of that
 * username from that address, else it would be a way to guess staff passwords unthrottled.
 */
export async function provePassword(
  username: string,
  headers: Headers,
  matches: () => Promise<boolean>,
): Promise<boolean> {
  const what = `Wrong password for "${username.slice(0, 150)}" in a restore's sign-in check`;
  const { result } = await throttled(username, headers, what, async () => ((await matches()) ? true : null));
  return result ?? false;
}

/** Seconds until `username` may try a password again from the client of `headers`; 0 when now. */
export function passwordWait(username: string, headers: Headers): Promise<number> {
  return throttle().wait(username, clientAddress(headers));
}

/** The sign-in locks held now (usernames in lower case, addresses), longest first: for staff to see. */
export function signInLocks(): Promise<HeldLock[]> {
  return throttle().locks();
}

/** Lets a username or address try again now: its failures and lock are cleared; the lock it held, if any. */
export function liftSignInLock(scope: HeldLock["scope"], name: string): Promise<HeldLock | null> {
  return throttle().lift(scope, name);
}
