// Django-compatible password hashes: `pbkdf2_sha256$<iterations>$<salt>$<base64>`, so
// hashes move between this app and the Django one unchanged. Older accounts may carry
// Django's `pbkdf2_sha1` hashes (its PBKDF2SHA1PasswordHasher); they verify too.
import { pbkdf2, randomInt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

import { isCheckablePassword, parseHash, PBKDF2_DIGESTS } from "@/lib/db/password-hash";

const pbkdf2Async = promisify(pbkdf2);

/** Django 6.1's default for PBKDF2PasswordHasher. */
export const DJANGO_PBKDF2_ITERATIONS = 1_500_000;
const ALGORITHM = "pbkdf2_sha256";
const SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export function randomSalt(length = 22): string {
  let salt = "";
  for (let i = 0; i < length; i++) salt += SALT_CHARS[randomInt(SALT_CHARS.length)];
  return salt;
}

async function derive(password: string, salt: string, iterations: number, algorithm = ALGORITHM): Promise<Buffer> {
  const { digest, bytes } = PBKDF2_DIGESTS[algorithm]!;
  return pbkdf2Async(password, salt, iterations, bytes, digest);
}

export async function hashPassword(
  password: string,
  { salt = randomSalt(), iterations = DJANGO_PBKDF2_ITERATIONS } = {},
): Promise<string> {
  if (salt.includes("$")) throw new Error("A salt must not contain '$'.");
  const digest = await derive(password, salt, iterations);
  return `${ALGORITHM}$${iterations}$${salt}$${digest.toString("base64")}`;
}

export { isCheckablePassword };

/** Whether `password` matches `encoded`; an unusable hash ("!…") names no known algorithm, so never. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const hash = parseHash(encoded);
  if (!hash) return false;
  const actual = await derive(password, hash.salt, hash.iterations, hash.algorithm);
  return timingSafeEqual(actual, hash.expected);
}

export interface PasswordCheck {
  matches: boolean;
  /** Stored with another algorithm or iteration count than ours: hash it again now that we know it. */
  needsRehash: boolean;
}

// What a hash no password matches costs to check: the same as one of ours.
const NO_ACCOUNT_SALT = "no-account-has-this-salt";

/**
 * Checks `password` against `encoded` (null: there is no hash anyone may sign in with, such as
 * an unknown or inactive account) with the same work whatever it holds, as Django's
 * `harden_runtime` does: a hash with fewer iterations than ours is topped up with the
 * difference, and a missing or unusable one costs a whole check of ours. So the time a refusal
 * takes tells nothing about the account, not even that it came from the old Django app.
 */
export async function checkPassword(password: string, encoded: string | null): Promise<PasswordCheck> {
  const hash = encoded === null ? null : parseHash(encoded);
  if (!hash) {
    await derive(password, NO_ACCOUNT_SALT, DJANGO_PBKDF2_ITERATIONS);
    return { matches: false, needsRehash: false };
  }
  const actual = await derive(password, hash.salt, hash.iterations, hash.algorithm);
  const gap = DJANGO_PBKDF2_ITERATIONS - hash.iterations;
  if (gap > 0) await derive(password, NO_ACCOUNT_SALT, gap);
  return {
    matches: timingSafeEqual(actual, hash.expected),
    needsRehash: hash.algorithm !== ALGORITHM || hash.iterations !== DJANGO_PBKDF2_ITERATIONS,
  };
}
