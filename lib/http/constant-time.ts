// Comparing a secret someone presents with the one we hold: `===` stops at the first differing
// character, so its time tells a guesser how much of a guess was right. Both sides are hashed
// first, so the buffers compared always have the same length and neither the secret's length
// nor its content shows in the time taken.
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (secret: string) => createHash("sha256").update(secret).digest();

/** Whether `given` equals `expected`, in time that depends on neither. Absent values never match. */
export function sameSecret(given: string | null | undefined, expected: string | null | undefined): boolean {
  if (typeof given !== "string" || typeof expected !== "string") return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/** Whether `given` equals any of `expected`: each one is compared, whichever matches. */
export function matchesAnySecret(given: string, expected: readonly string[]): boolean {
  let match = false;
  for (const key of expected) match = sameSecret(given, key) || match;
  return match;
}
