// The format of Django's PBKDF2 password hashes (`<algorithm>$<iterations>$<salt>$<base64>`),
// with no hashing: sign-in (lib/auth) and a restore's lock-out check (lib/backup) must agree on
// which stored hashes can be signed in with, and lib/backup may not import lib/auth.

/** Django's PBKDF2 hashers: algorithm name → digest, whose full length is the key length. */
export const PBKDF2_DIGESTS: Record<string, { digest: string; bytes: number }> = {
  pbkdf2_sha256: { digest: "sha256", bytes: 32 },
  pbkdf2_sha1: { digest: "sha1", bytes: 20 },
};

export interface ParsedHash {
  algorithm: string;
  iterations: number;
  salt: string;
  expected: Buffer;
}

/** A PBKDF2 hash in Django's encoding, or null for anything else (an unusable "!…" one included). */
export function parseHash(encoded: string): ParsedHash | null {
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

/** Whether a password can ever sign in with `encoded` (an unusable or foreign hash never can). */
export function isCheckablePassword(encoded: string): boolean {
  return parseHash(encoded) !== null;
}
