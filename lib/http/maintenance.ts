// While a restore runs, what would read or replace the database is answered 503 with when to
// come back: the History and the banner say what is going on.
import { readMaintenance, RETRY_AFTER_SECONDS } from "@/lib/backup/maintenance";
import { jsonError } from "@/lib/http/json";

/** Try again later, in plain words and in Retry-After. */
export function tryAgainShortly(error: string): Response {
  return jsonError(503, error, { "Retry-After": String(RETRY_AFTER_SECONDS) });
}

/** The 503 to answer while a restore runs, or null when none does. */
export function refusalWhileRestoring(): Response | null {
  const state = readMaintenance();
  if (!state) return null;
  return tryAgainShortly(`The database is being restored (${state.phase}). Try again shortly.`);
}
