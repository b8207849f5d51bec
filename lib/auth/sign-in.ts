// One sign-in attempt: throttled (lib/auth/throttle.ts) per username and per client address,
// failures and lock-outs written to the History on Manage Storage.
import { authenticate, usernameExists, type AccountRow } from "@/lib/auth/accounts";
import { createSignInThrottle, type Lockout, type SignInThrottle } from "@/lib/auth/throttle";
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

function lockoutWords(username: string, address: string, lock: Lockout): string {
  const what = lock.scope === "account" ? `the username "${username}"` : `the address ${address}`;
  return `Sign-in locked for ${waitInWords(lock.seconds)} for ${what} after ${lock.failures} failed attempts.`;
}

async function recordFailure(username: string, address: string, lockouts: Lockout[]): Promise<void> {
  const startedAt = new Date();
  const actor = username.slice(0, 150);
  await recordAudit({
    kind: "sign-in",
    source: "ui",
    actor,
    startedAt,
    result: "failed",
    detail: `Wrong username or password, from ${address}.`,
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
 * The account, or null for a wrong username or password; throws TooManyAttempts while the
 * username or the address is locked (no password is checked then) and when this failure locks it.
 */
export async function signIn(username: string, password: string, headers: Headers): Promise<AccountRow | null> {
  const address = clientAddress(headers);
  // Counted before the ~1 s hash, so parallel guesses cannot all pass a check made before any failed.
  // Only usernames an account has get their own count (the address counts the rest): memory stays bounded.
  const known = await usernameExists(username);
  const attempt = await throttle().begin(known ? username : null, address);
  if (attempt.refusedFor > 0 || !("failed" in attempt)) throw new TooManyAttempts(attempt.refusedFor);
  const account = await authenticate(username, password);
  if (account) {
    await attempt.succeeded();
    return account;
  }
  const lockouts = await attempt.failed();
  await recordFailure(username, address, lockouts);
  if (lockouts.length > 0) throw new TooManyAttempts(Math.max(...lockouts.map((l) => l.seconds)));
  return null;
}
