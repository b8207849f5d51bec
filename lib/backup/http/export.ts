// The streaming HTTP response for a complete-database export, shared by the bearer-key
// API and the staff download, audited when it ends. Two forms:
// - the JSON document: Next's own compression gzips it in transit when the client accepts
//   gzip (at zlib's default level, about twice as slow as the export itself at 100k rows);
// - a .json.gz file, gzipped here at a fast level on zlib's threads while the export runs:
//   what the backup workflows ask for. A route handler cannot set
//   Content-Encoding (Next drops it, send-response.js), so this is a file of its own type,
//   which Next leaves alone.
import { Readable } from "node:stream";
import { createGzip } from "node:zlib";

import { recordAudit, type AuditSource } from "@/lib/backup/audit";
import { createExport } from "@/lib/backup/export/export";
import { readMaintenance, RETRY_AFTER_SECONDS } from "@/lib/backup/maintenance";
import { exportConcurrency } from "@/lib/config";
import { createConcurrencyLimiter, type ConcurrencyLimiter } from "@/lib/http/concurrency";
import { jsonError } from "@/lib/http/json";

const MAX_WAITING_EXPORTS = 200;

/**
 * zlib level of the .json.gz form. Measured on the 100k export (317 MB, Node's zlib): level 2
 * writes 49 MB in ~1.4 s (level 1: 53 MB, as fast or slower; level 6: 39 MB in ~5 s), less
 * than the export itself takes, beside it on zlib's threads.
 */
const GZIP_LEVEL = 2;

/**
 * zlib's output buffer: a zlib stream comes back to the main thread (busy with SQLite) after
 * each one, so with the default 16 KiB compression and export took turns. 1 MiB: the .json.gz
 * download took 3.6 s where the plain one took 2.7 s at 100k (16 KiB: 4.1–4.3 s).
 */
const GZIP_CHUNK_BYTES = 1024 * 1024;

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

export async function exportResponse(
  who: { source: AuditSource; actor: string },
  form: ExportForm = "json",
): Promise<Response> {
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
  // One thread: on the server the second core answers other requests and gzips. Measured at
  // 100k, a second text thread made the .json.gz ~15 % faster but the server ~20 MiB larger
  // after one export and ~45 MiB after eight (the CLIs, alone on the machine, use it).
  const backup = createExport({ thread: false });
  const document = Readable.from(backup.chunks, { objectMode: false });
  // "close" also fires when the client goes away before the export started.
  document.once("close", release);
  const body = form === "json.gz" ? gzipped(document) : document;
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
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { status: 200, headers });
}

/** The document gzipped; a client that goes away ends the export too. */
function gzipped(document: Readable): Readable {
  const gzip = createGzip({ level: GZIP_LEVEL, chunkSize: GZIP_CHUNK_BYTES });
  document.once("error", (error) => gzip.destroy(error));
  gzip.once("close", () => document.destroy());
  return document.pipe(gzip);
}
