// The automation API under /schedule/api/backup/: the export (GET database/), and the
// off-site watch routes built on the same check (lib/offsite/http.ts). Every route presents
// `Authorization: Bearer <BACKUP_API_KEY>` and shares one failure limiter.
import { exportResponse } from "@/lib/backup/http/export";
import { backupApiKey, backupApiMaxFailures } from "@/lib/config";
import { checkBearer } from "@/lib/http/bearer";
import { jsonError } from "@/lib/http/json";
import { clientAddress, createFailureLimiter } from "@/lib/http/rate-limit";

const limiterCache = globalThis as unknown as { backupApiLimiter?: ReturnType<typeof createFailureLimiter> };
const limiter = (limiterCache.backupApiLimiter ??= createFailureLimiter({
  limit: backupApiMaxFailures,
  windowMs: 10 * 60_000,
}));

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="database-backup"' };

/** null when the request carries the backup API key; otherwise the response that refuses it. */
export function refuseUnlessBackupKey(request: Request): Response | null {
  const expected = backupApiKey();
  if (!expected) {
    return jsonError(
      503,
      "The backup API is not configured on this server: set the BACKUP_API_KEY environment variable.",
    );
  }
  const client = clientAddress(request.headers);
  const wait = limiter.retryAfter(client);
  if (wait > 0) {
    return jsonError(429, "Too many failed attempts. Try again later.", { "Retry-After": String(wait) });
  }
  const check = checkBearer(request.headers.get("authorization"), expected);
  if (check !== "ok") limiter.fail(client);
  if (check === "missing")
    return jsonError(401, "Authentication required: send Authorization: Bearer <BACKUP_API_KEY>.", CHALLENGE);
  if (check === "malformed")
    return jsonError(401, "Malformed Authorization header: expected 'Bearer <key>'.", {
      "WWW-Authenticate": 'Bearer realm="database-backup", error="invalid_request"',
    });
  if (check === "wrong") return jsonError(403, "The backup API key is not valid.");
  return null;
}

/**
 * GET /schedule/api/backup/database/ — the complete-database export: the JSON document, or
 * with `?format=json.gz` the same gzipped as a file (what the backup workflows fetch).
 */
export async function handleBackupApiRequest(request: Request): Promise<Response> {
  const refused = refuseUnlessBackupKey(request);
  if (refused) return refused;
  const format = new URL(request.url).searchParams.get("format") ?? "json";
  if (format !== "json" && format !== "json.gz") {
    return jsonError(
      400,
      `Unknown format ${JSON.stringify(format)}: ask for format=json (the default) or format=json.gz.`,
    );
  }
  return exportResponse({ source: "api", actor: "backup API key" }, format, request.signal);
}
