// The streaming HTTP response for a complete-database export, shared by the bearer-key
// API and the staff download, audited when it ends. Two forms:
// - the JSON document: Next's own compression gzips it in transit when the client accepts
//   gzip (at zlib's default level, about twice as slow as the export itself at 100k rows);
// - a .json.gz file, gzipped as it is made (export/gzip-members.ts): what the backup
//   workflows ask for. A route handler cannot set Content-Encoding (Next drops it,
//   send-response.js), so this is a file of its own type, which Next leaves alone.
import { recordAudit, type AuditSource } from "@/lib/backup/audit";
import { createExport, EXPORT_INTERRUPTED } from "@/lib/backup/export/export";
import { gzipMembers } from "@/lib/backup/export/gzip-members";
import { readMaintenance, RETRY_AFTER_SECONDS } from "@/lib/backup/maintenance";
import { exportConcurrency } from "@/lib/config";
import { createConcurrencyLimiter, type ConcurrencyLimiter } from "@/lib/http/concurrency";
import { jsonError } from "@/lib/http/json";
import { collectedWhenDone } from "@/lib/http/memory";
import { streamBody } from "@/lib/http/stream-body";

const MAX_WAITING_EXPORTS = 200;

export type ExportForm = "json" | "json.gz";

const cache = globalThis as unknown as { exportLimiter?: ConcurrencyLimiter };

/** Each export holds a read transaction and its buffers: a burst of them queues instead of piling up memory. */
function exportSlots(): ConcurrencyLimiter {
  cache.exportLimiter ??= createConcurrencyLimiter({ limit: exportConcurrency(), maxWaiting: MAX_WAITING_EXPORTS });
  return cache.exportLimiter;
}

export function maintenanceResponse(): Response | null {
  const state = readMaintenance();
  if (!state) return null;
  return jsonError(503, `The database is being restored (${state.phase}). Try again shortly.`, {
    "Retry-After": String(RETRY_AFTER_SECONDS),
  });
}

/** What a client that went away is "answered": nobody reads it, and no export was made for it. */
const CLIENT_GONE = () => new Response(null, { status: 499, statusText: "Client Closed Request" });

/** `signal` is the request's: its client going away, waiting or downloading, frees its slot. */
export async function exportResponse(
  who: { source: AuditSource; actor: string },
  form: ExportForm = "json",
  signal?: AbortSignal,
): Promise<Response> {
  const release = await exportSlots().acquire(signal);
  if (signal?.aborted) {
    release?.();
    return CLIENT_GONE();
  }
  if (!release) {
    return jsonError(503, "Too many backups are being downloaded at once. Try again shortly.", {
      "Retry-After": String(RETRY_AFTER_SECONDS),
    });
  }
  // Checked after the wait: a restore may have begun meanwhile.
  const busy = maintenanceResponse();
  if (busy) {
    release();
    return busy;
  }
  const startedAt = new Date();
  // One thread: on the server the second core answers other requests and gzips. Measured at
  // 100k, a second text thread made the .json.gz ~15 % faster but the server ~20 MiB larger
  // after one export and ~45 MiB after eight (the CLIs, alone on the machine, use it).
  const backup = createExport({ thread: false });
  const chunks = collectedWhenDone(backup.chunks);
  let onEnd!: (whole: boolean) => void;
  const delivered = new Promise<boolean>((resolve) => (onEnd = resolve));
  const body = streamBody(form === "json.gz" ? gzipMembers(chunks) : chunks, { onEnd, signal });
  void delivered.then(release);
  // Audited as the client got it: the .json.gz compresses a few chunks ahead, so a small
  // export can finish before a client that went away had read it all.
  const failed = (detail: string) => recordAudit({ kind: "export", ...who, startedAt, result: "failed", detail });
  Promise.all([backup.summary, delivered]).then(
    ([s, whole]) =>
      whole
        ? recordAudit({
            kind: "export",
            ...who,
            startedAt,
            result: s.complete ? "ok" : "failed",
            bytes: s.bytes,
            sha256: s.documentSha256,
            detail: JSON.stringify({ ...s.counts, records_sha256: s.sha256, file: backup.filename }),
          })
        : failed(EXPORT_INTERRUPTED),
    (error: Error) => failed(error.message),
  );
  const headers: Record<string, string> =
    form === "json.gz"
      ? {
          "Content-Type": "application/gzip",
          "Content-Disposition": `attachment; filename=${backup.filename}.gz`,
          // Already compressed: no proxy (nor Next) should touch it.
          "Cache-Control": "no-store, no-transform",
          "X-Content-Type-Options": "nosniff",
        }
      : {
          "Content-Type": "application/json; charset=utf-8",
          "Content-Disposition": `attachment; filename=${backup.filename}`,
          "Cache-Control": "no-store",
          Vary: "Accept-Encoding",
          "X-Content-Type-Options": "nosniff",
        };
  return new Response(body, { status: 200, headers });
}
