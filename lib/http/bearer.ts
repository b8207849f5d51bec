// Bearer keys for automation. Every route for automation goes through authorizeBearer (by way
// of bearerRoute, lib/auth/route.ts), which shares one limiter of failed attempts.
import { createHash, timingSafeEqual } from "node:crypto";

import { backupApiKey, backupApiMaxFailures } from "@/lib/config";
import { jsonError } from "@/lib/http/json";
import { clientAddress, createFailureLimiter } from "@/lib/http/rate-limit";

export type BearerCheck = "missing" | "malformed" | "wrong" | "ok";

/** What a key is for: the database (and everything the backup workflows do), or only the status. */
export type KeyPurpose = "export" | "status";

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

/** Compares in constant time: both sides are hashed first, so neither length nor content leaks. */
export function checkBearer(authorization: string | null, expected: string): BearerCheck {
  if (!authorization) return "missing";
  const match = BEARER.exec(authorization.trim());
  if (!match) return "malformed";
  const given = createHash("sha256").update(match[1]!).digest();
  const wanted = createHash("sha256").update(expected).digest();
  return timingSafeEqual(given, wanted) ? "ok" : "wrong";
}

const limiterCache = globalThis as unknown as { backupApiLimiter?: ReturnType<typeof createFailureLimiter> };
const limiter = () =>
  (limiterCache.backupApiLimiter ??= createFailureLimiter({ limit: backupApiMaxFailures, windowMs: 10 * 60_000 }));

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="database-backup"' };

/**
 * null when the request carries the key for `purpose` (both purposes take BACKUP_API_KEY);
 * otherwise the response that refuses it: 401 without a key, 403 with a wrong one, 429 after
 * too many wrong ones from this client, 503 when no key is configured.
 */
export function authorizeBearer(request: Request, _purpose: KeyPurpose): Response | null {
  const expected = backupApiKey();
  if (!expected) {
    return jsonError(
      503,
      "The backup API is not configured on this server: set the BACKUP_API_KEY environment variable.",
    );
  }
  const client = clientAddress(request.headers);
  const wait = limiter().retryAfter(client);
  if (wait > 0) {
    return jsonError(429, "Too many failed attempts. Try again later.", { "Retry-After": String(wait) });
  }
  const check = checkBearer(request.headers.get("authorization"), expected);
  if (check !== "ok") limiter().fail(client);
  if (check === "missing")
    return jsonError(401, "Authentication required: send Authorization: Bearer <BACKUP_API_KEY>.", CHALLENGE);
  if (check === "malformed")
    return jsonError(401, "Malformed Authorization header: expected 'Bearer <key>'.", {
      "WWW-Authenticate": 'Bearer realm="database-backup", error="invalid_request"',
    });
  if (check === "wrong") return jsonError(403, "The backup API key is not valid.");
  return null;
}
