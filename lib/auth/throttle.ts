// Sign-in throttling in the way of django-axes and OWASP's guidance: failed sign-ins are counted
// per username and per client address. Past the allowance each further failure locks that
// username or address twice as long as the last lock (1, 2, 4 … minutes, at most an hour). A
// locked sign-in is refused before any password is checked, so guessing costs the server no
// hashing. Counts are forgotten a day after the first failure, and a username's when it signs
// in. In memory: one server process (a restart forgets them, as it forgets sessions' throttles).
// A username no account has is counted and locked like a real one (a guesser must not tell them
// apart), in a bounded memory; staff can see the locks held now and lift one (lock(), lift()).
import { RateLimiterMemory } from "rate-limiter-flexible";

export interface ThrottleLimits {
  /** Failures for one username before it is locked. */
  perAccount: number;
  /** Failures from one client address before it is locked. */
  perAddress: number;
  /** Client addresses remembered at once (default MAX_ADDRESSES); past it the least recent is forgotten. */
  maxAddresses?: number;
  /** Usernames no account has remembered at once (default MAX_UNKNOWN_USERNAMES), likewise. */
  maxUnknownUsernames?: number;
}

export interface Lockout {
  /** What was locked: the username tried, or the client's address. */
  scope: "account" | "address";
  seconds: number;
  failures: number;
}

/** A lock held now: the username (in lower case) or the address, and the seconds it has left. */
export interface HeldLock {
  scope: Lockout["scope"];
  name: string;
  seconds: number;
  /** The failures that started it. */
  failures: number;
}

/** The tries a scope has left before its next failure locks it: what a warning says. */
export interface TriesLeft {
  scope: Lockout["scope"];
  tries: number;
  /** How long the lock will be. */
  lockSeconds: number;
}

/** A sign-in attempt counted before its password is checked; settled once the answer is known. */
export type Attempt =
  | { refusedFor: number }
  | {
      refusedFor: 0;
      /**
       * Should this attempt fail without locking: the scope nearest to a lock and its tries left
       * (the same for a username no account has as for a real one); null once past the allowance.
       */
      triesLeft: TriesLeft | null;
      /** Keeps the attempt counted as a failure; returns the lock-outs it started. */
      failed(): Promise<Lockout[]>;
      /** Gives the attempt back: clears the username's failures and returns the address's point. */
      succeeded(): Promise<void>;
    };

export interface SignInThrottle {
  /**
   * Counts an attempt on the username and the address BEFORE the (slow) password check, so
   * guesses sent in parallel are all counted: one beyond the allowance, or while locked, is
   * refused (`refusedFor` seconds) and not counted. `exists`: whether an account has the
   * username (those that none has are remembered in a bounded memory, so made-up usernames
   * cannot grow it); null counts the address only.
   */
  begin(username: string | null, address: string, exists?: boolean): Promise<Attempt>;
  /** Seconds until this username and address may both try again; 0 when they may now. */
  wait(username: string | null, address: string): Promise<number>;
  /** Counts a failed sign-in; returns the lock-outs it started (none within the allowance). */
  failed(username: string | null, address: string, exists?: boolean): Promise<Lockout[]>;
  /** A successful sign-in clears its username's failures (not its address's: one good account must not reset them). */
  succeeded(username: string): Promise<void>;
  /** The locks held now, longest first. */
  locks(): Promise<HeldLock[]>;
  /** Clears a username's or an address's failures and lock (staff letting someone in); the lock it held, if any. */
  lift(scope: Lockout["scope"], name: string): Promise<HeldLock | null>;
}

const DAY_SECONDS = 86_400;
/**
 * Addresses counted at once. Usernames of accounts need no bound, but anyone with many
 * addresses (an IPv6 block) could otherwise grow the counts for a day: each costs a record and
 * a timer in rate-limiter-flexible, a few hundred bytes, so 10 000 stay within a few MB.
 * Forgetting the least recent address frees its lock early, which a guesser with 10 000
 * addresses could do anyway; the locks of accounts' usernames are never forgotten this way.
 */
export const MAX_ADDRESSES = 10_000;
/**
 * Usernames no account has, counted at once: the same bound for made-up usernames. Forgetting
 * one early gives nothing away: it takes more guesses than the address allowances let through.
 */
export const MAX_UNKNOWN_USERNAMES = 10_000;
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
const keyOf = (scope: Lockout["scope"], name: string) =>
  scope === "account" ? `account:${accountKey(name)}` : `address:${name}`;

function scopeAndName(key: string): Pick<HeldLock, "scope" | "name"> {
  const colon = key.indexOf(":");
  return { scope: key.slice(0, colon) as HeldLock["scope"], name: key.slice(colon + 1) };
}

/** Keys in the order last counted, at most `max`: the least recent is dropped (and returned) first. */
function recencyBound(max: number) {
  const keys = new Set<string>();
  return {
    touch(key: string): string[] {
      keys.delete(key);
      keys.add(key);
      const dropped: string[] = [];
      for (const oldest of keys) {
        if (keys.size <= max) break;
        keys.delete(oldest);
        dropped.push(oldest);
      }
      return dropped;
    },
    forget: (key: string) => keys.delete(key),
  };
}

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
  const keysOf = (username: string | null, address: string) => ({
    account: username === null ? null : keyOf("account", username),
    address: keyOf("address", address),
  });
  const present = (keys: ReturnType<typeof keysOf>) => [keys.account, keys.address].filter((k) => k !== null);
  // Real usernames need no bound (there are as many as accounts); addresses and made-up usernames do.
  const addresses = recencyBound(limits.maxAddresses ?? MAX_ADDRESSES);
  const unknownUsernames = recencyBound(limits.maxUnknownUsernames ?? MAX_UNKNOWN_USERNAMES);
  // When each lock held ends and after how many failures: rate-limiter-flexible cannot list its keys.
  const held = new Map<string, { until: number; failures: number }>();

  async function forget(key: string): Promise<void> {
    held.delete(key);
    await Promise.all([failures.delete(key), locks.delete(key)]);
  }

  // Usernames once tried as an account's: never among the made-up ones again, even typed in
  // another case (which no account has, but shares the count): pushing it out would lift the lock.
  const accountKeys = new Set<string>();

  async function remember(keys: ReturnType<typeof keysOf>, exists: boolean): Promise<void> {
    const dropped = addresses.touch(keys.address);
    if (keys.account !== null && exists && !accountKeys.has(keys.account)) {
      accountKeys.add(keys.account);
      unknownUsernames.forget(keys.account);
    } else if (keys.account !== null && !accountKeys.has(keys.account)) {
      dropped.push(...unknownUsernames.touch(keys.account));
    }
    await Promise.all(dropped.map(forget));
  }

  async function wait(username: string | null, address: string): Promise<number> {
    const current = await Promise.all(present(keysOf(username, address)).map((key) => locks.get(key)));
    const ms = Math.max(0, ...current.map((lock) => (lock && lock.consumedPoints > 1 ? lock.msBeforeNext : 0)));
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
        held.set(key, { until: Date.now() + seconds * 1000, failures: counts[scope] });
        started.push({ scope, seconds, failures: counts[scope] });
      }
    }
    return started;
  }

  /** The scope a failure now would bring nearest to its first lock; null when past both allowances. */
  function nearest(keys: ReturnType<typeof keysOf>, counts: Record<Lockout["scope"], number>): TriesLeft | null {
    const left = scopes
      .filter(({ scope, limit }) => keys[scope] !== null && counts[scope] < limit)
      .map(({ scope, limit }) => ({ scope, tries: limit - counts[scope], lockSeconds: lockSeconds(limit, limit) }));
    // Stable: the account first when both have as many left.
    return left.sort((a, b) => a.tries - b.tries)[0] ?? null;
  }

  async function count(keys: ReturnType<typeof keysOf>, exists: boolean): Promise<Record<Lockout["scope"], number>> {
    await remember(keys, exists);
    const [account, address] = await Promise.all([
      keys.account === null ? null : failures.penalty(keys.account),
      failures.penalty(keys.address),
    ]);
    return { account: account?.consumedPoints ?? 0, address: address.consumedPoints };
  }

  return {
    wait,
    async begin(username, address, exists = true) {
      const keys = keysOf(username, address);
      // Refused or not, an address (or made-up username) that keeps trying stays among those remembered.
      await remember(keys, exists);
      const locked = await wait(username, address);
      if (locked > 0) return { refusedFor: locked };
      const counts = await count(keys, exists);
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
        triesLeft: nearest(keys, counts),
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
    async failed(username, address, exists = true) {
      const keys = keysOf(username, address);
      return lockFor(keys, await count(keys, exists));
    },
    async succeeded(username) {
      await failures.delete(keyOf("account", username));
    },
    async locks() {
      const now = Date.now();
      const current: HeldLock[] = [];
      for (const [key, lock] of held) {
        if (lock.until <= now) held.delete(key);
        else
          current.push({
            ...scopeAndName(key),
            seconds: Math.ceil((lock.until - now) / 1000),
            failures: lock.failures,
          });
      }
      return current.sort((a, b) => b.seconds - a.seconds);
    },
    async lift(scope, name) {
      const key = keyOf(scope, name);
      const lock = held.get(key);
      await forget(key);
      if (!lock || lock.until <= Date.now()) return null;
      return { ...scopeAndName(key), seconds: Math.ceil((lock.until - Date.now()) / 1000), failures: lock.failures };
    },
  };
}
