// Django-compatible password hashes: `pbkdf2_sha256$<iterations>$<salt>$<base64>`, so
// hashes move between this app and the Django one unchanged. Older accounts may carry
// Django's `pbkdf2_sha1` hashes (its PBKDF2SHA1PasswordHasher); they verify too.
import { pbkdf2, randomInt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const pbkdf2Async = promisify(pbkdf2);

/** Django 6.1's default for PBKDF2PasswordHasher. */
export const DJANGO_PBKDF2_ITERATIONS = 1_500_000;
const ALGORITHM = "pbkdf2_sha256";
/** Django's PBKDF2 hashers: algorithm name → digest, whose full length is the key length. */
const PBKDF2_DIGESTS: Record<string, { digest: string; bytes: number }> = {
  pbkdf2_sha256: { digest: "sha256", bytes: 32 },
  pbkdf2_sha1: { digest: "sha1", bytes: 20 },
};
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

interface ParsedHash {
  algorithm: string;
  iterations: number;
  salt: string;
  expected: Buffer;
}

/** A PBKDF2 hash in Django's encoding, or null for anything else (an unusable "!…" one included). */
function parseHash(encoded: string): ParsedHash | null {
  const parts = encoded.split("$");
  if (parts.length !== 4) return null;
  const [algorithm, iterationsText, salt, expectedB64] = parts as [string, string, string, string];
  const hasher = Object.hasOwn(PBKDF2_DIGESTS, algorithm) ? PBKDF2_DIGESTS[algorithm]! : null;
  if (!hasher || !salt || !expectedB64) return null;
  const iterations = Number(iterationsText);
  if (!Number.isSafeInteger(iterations) || iterations < 1) return null;
  const expected = Buffer.from(expectedB64, "base64");
  if (expected.length !== hasher.bytes) return null;
  return { algorithm, iterations, salt, expected };
}

/** Whether verifying against `encoded` computes a hash at all (an unusable or foreign one is refused at once). */
export function isCheckablePassword(encoded: string): boolean {
  return parseHash(encoded) !== null;
}

/** Whether `password` matches `encoded`; an unusable hash ("!…") names no known algorithm, so never. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const hash = parseHash(encoded);
  if (!hash) return false;
  const actual = await derive(password, hash.salt, hash.iterations, hash.algorithm);
  return timingSafeEqual(actual, hash.expected);
}
