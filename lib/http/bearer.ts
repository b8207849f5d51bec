// Bearer keys for automation, each with a purpose: BACKUP_API_KEY exports the database (and
// reads the status, and reports stored backups and drills); BACKUP_STATUS_KEY reads the status
// route and nothing else, so an uptime monitor never holds the database. Every route for
// automation goes through authorizeBearer, which shares one limiter of failed attempts.
import { backupApiKey, backupApiMaxFailures, backupStatusKey } from "@/lib/config";
import { matchesAnySecret } from "@/lib/http/constant-time";
import { jsonError } from "@/lib/http/json";
import { clientAddress, createFailureLimiter } from "@/lib/http/rate-limit";

export type BearerCheck = "missing" | "malformed" | "wrong" | "ok";

/** What a key is for: the database (and everything the backup workflows do), or only the status. */
export type KeyPurpose = "export" | "status";

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

/** The key an Authorization header carries; null when missing, undefined when malformed. */
function presentedKey(authorization: string | null): string | null | undefined {
  if (!authorization) return null;
  return BEARER.exec(authorization.trim())?.[1];
}

/**
 * Compares in constant time: both sides are hashed first, so neither length nor content leaks;
 * with several accepted keys every one is compared, whichever matches.
 */
export function checkBearer(authorization: string | null, expected: string | string[]): BearerCheck {
  const given = presentedKey(authorization);
  if (given === null) return "missing";
  if (given === undefined) return "malformed";
  return matchesAnySecret(given, [expected].flat()) ? "ok" : "wrong";
}

/** The configured keys that open `purpose`: the backup key everything, the status key the status. */
export function keysFor(purpose: KeyPurpose): string[] {
  const keys = purpose === "status" ? [backupStatusKey(), backupApiKey()] : [backupApiKey()];
  return keys.filter((k): k is string => Boolean(k));
}

/** Wrong keys from one client count for this long (BACKUP_API_MAX_FAILURES of them are allowed). */
const FAILURE_WINDOW_MS = 10 * 60_000;

const limiterCache = globalThis as unknown as { backupApiLimiter?: ReturnType<typeof createFailureLimiter> };
const limiter = () =>
  (limiterCache.backupApiLimiter ??= createFailureLimiter({
    limit: backupApiMaxFailures,
    windowMs: FAILURE_WINDOW_MS,
  }));

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="database-backup"' };

const NOT_CONFIGURED: Record<KeyPurpose, string> = {
  export: "The backup API is not configured on this server: set the BACKUP_API_KEY environment variable.",
  status: "The backup status is not configured on this server: set BACKUP_STATUS_KEY (for monitors) or BACKUP_API_KEY.",
};

const KEY_NAME: Record<KeyPurpose, string> = { export: "BACKUP_API_KEY", status: "BACKUP_STATUS_KEY" };
const WRONG_KEY: Record<KeyPurpose, string> = {
  export: "The backup API key is not valid.",
  status: "The key is not valid: the status takes BACKUP_STATUS_KEY or BACKUP_API_KEY.",
};

/**
 * null when the request carries a key for `purpose`; otherwise the response that refuses it
 * (401 without a key, 403 with a wrong one or one for another purpose, 429 after too many
 * wrong ones from this client, 503 when no key for the purpose is configured).
 */
export function authorizeBearer(request: Request, purpose: KeyPurpose): Response | null {
  const keys = keysFor(purpose);
  if (keys.length === 0) return jsonError(503, NOT_CONFIGURED[purpose]);
  const client = clientAddress(request.headers);
  const wait = limiter().retryAfter(client);
  if (wait > 0) {
    return jsonError(429, "Too many failed attempts. Try again later.", { "Retry-After": String(wait) });
  }
  const authorization = request.headers.get("authorization");
  const check = checkBearer(authorization, keys);
  if (check === "ok") return null;
  const statusKey = backupStatusKey();
  if (check === "wrong" && statusKey && checkBearer(authorization, statusKey) === "ok") {
    // A known key used for the wrong thing: refused, but not a guess.
    return jsonError(403, "This key reads the backup status only: exporting takes BACKUP_API_KEY.");
  }
  limiter().fail(client);
  if (check === "missing") {
    return jsonError(401, `Authentication required: send Authorization: Bearer <${KEY_NAME[purpose]}>.`, CHALLENGE);
  }
  if (check === "malformed") {
    return jsonError(401, "Malformed Authorization header: expected 'Bearer <key>'.", {
      "WWW-Authenticate": 'Bearer realm="database-backup", error="invalid_request"',
    });
  }
  return jsonError(403, WRONG_KEY[purpose]);
}
