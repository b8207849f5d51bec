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

/** Django marks accounts that may not sign in with a hash starting with "!". */
export function isUsablePassword(encoded: string): boolean {
  return encoded.length > 0 && !encoded.startsWith("!");
}

export { isCheckablePassword };

/** Whether `password` matches `encoded`; an unusable hash ("!…") names no known algorithm, so never. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const hash = parseHash(encoded);
  if (!hash) return false;
  const actual = await derive(password, hash.salt, hash.iterations, hash.algorithm);
  return timingSafeEqual(actual, hash.expected);
}
