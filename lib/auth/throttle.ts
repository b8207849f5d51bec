// Sign-in throttling in the way of django-axes and OWASP's guidance: failed sign-ins are counted
// per username and per client address. Past the allowance each further failure locks that
// username or address twice as long as the last lock (1, 2, 4 … minutes, at most an hour). A
// locked sign-in is refused before any password is checked, so guessing costs the server no
// hashing. Counts are forgotten a day after the first failure, and a username's when it signs
// in. In memory: one server process (a restart forgets them, as it forgets sessions' throttles).
import { RateLimiterMemory } from "rate-limiter-flexible";

export interface ThrottleLimits {
  /** Failures for one username before it is locked. */
  perAccount: number;
  /** Failures from one client address before it is locked. */
  perAddress: number;
  /** Client addresses remembered at once (default MAX_ADDRESSES); past it the least recent is forgotten. */
  maxAddresses?: number;
}

export interface Lockout {
  /** What was locked: the username tried, or the client's address. */
  scope: "account" | "address";
  seconds: number;
  failures: number;
}

/** A sign-in attempt counted before its password is checked; settled once the answer is known. */
export type Attempt =
  | { refusedFor: number }
  | {
      refusedFor: 0;
      /** Keeps the attempt counted as a failure; returns the lock-outs it started. */
      failed(): Promise<Lockout[]>;
      /** Gives the attempt back: clears the username's failures and returns the address's point. */
      succeeded(): Promise<void>;
    };

export interface SignInThrottle {
  /**
   * Counts an attempt on the username and the address BEFORE the (slow) password check, so
   * guesses sent in parallel are all counted: one beyond the allowance, or while locked, is
   * refused (`refusedFor` seconds) and not counted. Pass null for a username no account has.
   */
  begin(username: string | null, address: string): Promise<Attempt>;
  /** Seconds until this username and address may both try again; 0 when they may now. */
  wait(username: string | null, address: string): Promise<number>;
  /** Counts a failed sign-in; returns the lock-outs it started (none within the allowance). */
  failed(username: string | null, address: string): Promise<Lockout[]>;
  /** A successful sign-in clears its username's failures (not its address's: one good account must not reset them). */
  succeeded(username: string): Promise<void>;
}

const DAY_SECONDS = 86_400;
/**
 * Addresses counted at once. Usernames need no bound (only those an account has get a count),
 * but anyone with many addresses (an IPv6 block) could otherwise grow the counts for a day:
 * each costs a record and a timer in rate-limiter-flexible, a few hundred bytes, so 10 000 stay
 * within a few MB. Forgetting the least recent address frees its lock early, which a guesser
 * with 10 000 addresses could do anyway; username locks are never forgotten this way.
 */
export const MAX_ADDRESSES = 10_000;
const FIRST_LOCK_SECONDS = 60;
/**
 * Longer than any password check takes: an attempt that is never settled (its check threw)
 * stops counting as being checked after this.
 */
const CHECK_SECONDS = 60;
const LONGEST_LOCK_SECONDS = 3_600;

/** The lock after the `failures`-th failure where `limit` are allowed: 1 minute, doubling, at most an hour. */
export function lockSeconds(failures: number, limit: number): number {
  if (failures < limit) return 0;
  return Math.min(LONGEST_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** Math.min(failures - limit, 12));
}

/** Usernames differ only in case for a guesser, not for the throttle. */
const accountKey = (username: string) => username.trim().toLowerCase();

export function createSignInThrottle(limits: ThrottleLimits): SignInThrottle {
  // penalty() only counts (it never refuses), so `points` is just the number reported.
  const failures = new RateLimiterMemory({ points: 1, duration: DAY_SECONDS });
  const locks = new RateLimiterMemory({ points: 1, duration: 1 });
  // Attempts begun and not yet settled, per key: what tells a burst sent in parallel (several
  // being checked at once) from one attempt after a lock has run out (the only one).
  const checking = new RateLimiterMemory({ points: 1, duration: CHECK_SECONDS });
  const scopes = [
    { scope: "account", limit: limits.perAccount },
    { scope: "address", limit: limits.perAddress },
  ] as const;
  // A null username (one no account has) gets no key of its own: random usernames cannot grow
  // these maps for a day; the address key still counts such guesses.
  const keysOf = (username: string | null, address: string) => ({
    account: username === null ? null : `account:${accountKey(username)}`,
    address: `address:${address}`,
  });
  const present = (keys: ReturnType<typeof keysOf>) => [keys.account, keys.address].filter((k) => k !== null);
  const maxAddresses = limits.maxAddresses ?? MAX_ADDRESSES;
  // Address keys, least recently counted first (a Set keeps insertion order).
  const addresses = new Set<string>();

  async function remember(addressKey: string): Promise<void> {
    addresses.delete(addressKey);
    addresses.add(addressKey);
    for (const oldest of addresses) {
      if (addresses.size <= maxAddresses) break;
      addresses.delete(oldest);
      await Promise.all([failures.delete(oldest), locks.delete(oldest)]);
    }
  }

  async function wait(username: string | null, address: string): Promise<number> {
    const held = await Promise.all(present(keysOf(username, address)).map((key) => locks.get(key)));
    const ms = Math.max(0, ...held.map((lock) => (lock && lock.consumedPoints > 1 ? lock.msBeforeNext : 0)));
    return Math.ceil(ms / 1000);
  }

  /** Locks each scope whose counted failures reached its allowance; the lock-outs started. */
  async function lockFor(keys: ReturnType<typeof keysOf>, counts: Record<Lockout["scope"], number>) {
    const started: Lockout[] = [];
    for (const { scope, limit } of scopes) {
      const key = keys[scope];
      if (key === null) continue;
      const seconds = lockSeconds(counts[scope], limit);
      if (seconds > 0) {
        await locks.block(key, seconds);
        started.push({ scope, seconds, failures: counts[scope] });
      }
    }
    return started;
  }

  async function count(keys: ReturnType<typeof keysOf>): Promise<Record<Lockout["scope"], number>> {
    await remember(keys.address);
    const [account, address] = await Promise.all([
      keys.account === null ? null : failures.penalty(keys.account),
      failures.penalty(keys.address),
    ]);
    return { account: account?.consumedPoints ?? 0, address: address.consumedPoints };
  }

  return {
    wait,
    async begin(username, address) {
      // Refused or not, an address that keeps trying stays among those remembered.
      await remember(keysOf(username, address).address);
      const locked = await wait(username, address);
      if (locked > 0) return { refusedFor: locked };
      const keys = keysOf(username, address);
      const counts = await count(keys);
      const beingChecked = await Promise.all(present(keys).map((key) => checking.penalty(key)));
      const settle = () => Promise.all(present(keys).map((key) => checking.reward(key)));
      // Past the allowance while earlier attempts are still being checked (a burst): refuse this
      // one uncounted. Alone, it is the one try a lock that has run out allows; if it fails,
      // the next lock is twice as long.
      const alone = beingChecked.every((c) => c.consumedPoints <= 1);
      const beyond = scopes.filter(({ scope, limit }) => counts[scope] > limit);
      if (beyond.length > 0 && !alone) {
        await Promise.all(present(keys).map((key) => failures.reward(key)));
        await settle();
        const lockedNow = await wait(username, address);
        return { refusedFor: Math.max(lockedNow, FIRST_LOCK_SECONDS) };
      }
      return {
        refusedFor: 0,
        async failed() {
          await settle();
          return lockFor(keys, counts);
        },
        async succeeded() {
          await settle();
          await Promise.all([keys.account && failures.delete(keys.account), failures.reward(keys.address)]);
        },
      };
    },
    async failed(username, address) {
      const keys = keysOf(username, address);
      return lockFor(keys, await count(keys));
    },
    async succeeded(username) {
      await failures.delete(`account:${accountKey(username)}`);
    },
  };
}
