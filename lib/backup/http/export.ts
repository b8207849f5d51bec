// The streaming HTTP response for a complete-database export, shared by the bearer-key
// API and the staff download, audited when it ends. Compression is left to the server:
// Next strips Content-Encoding from route-handler responses (send-response.js), while
// its own compression gzips this stream when the client accepts gzip.
import { Readable } from "node:stream";

import { recordAudit, type AuditSource } from "@/lib/backup/audit";
import { createExport } from "@/lib/backup/export/export";
import { readMaintenance, RETRY_AFTER_SECONDS } from "@/lib/backup/maintenance";
import { exportConcurrency } from "@/lib/config";
import { createConcurrencyLimiter, type ConcurrencyLimiter } from "@/lib/http/concurrency";
import { jsonError } from "@/lib/http/json";

const MAX_WAITING_EXPORTS = 200;
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

export async function exportResponse(who: { source: AuditSource; actor: string }): Promise<Response> {
  const release = await exportSlots().acquire();
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
  const backup = createExport();
  const body = Readable.from(backup.chunks, { objectMode: false });
  // "close" also fires when the client goes away before the export started.
  body.once("close", release);
  backup.summary.then(
    (s) =>
      recordAudit({
        kind: "export",
        ...who,
        startedAt,
        result: s.complete ? "ok" : "failed",
        bytes: s.bytes,
        sha256: s.documentSha256,
        detail: JSON.stringify({ ...s.counts, records_sha256: s.sha256, file: backup.filename }),
      }),
    (error: Error) => recordAudit({ kind: "export", ...who, startedAt, result: "failed", detail: error.message }),
  );
  const headers: Record<string, string> = {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Disposition": `attachment; filename=${backup.filename}`,
    "Cache-Control": "no-store",
    Vary: "Accept-Encoding",
    "X-Content-Type-Options": "nosniff",
  };
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { status: 200, headers });
}
