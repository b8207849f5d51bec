// The export as an HTTP download, for the staff download and the backup API: a few at once
// (each holds a read transaction and its buffers), refused while a restore runs, and sent in
// the form asked for (lib/backup/export/download.ts makes the bytes and the History entry).
import { z } from "zod";

import type { AuditSource } from "@/lib/backup/audit";
import { startExportDownload, type ExportForm } from "@/lib/backup/export/download";
import { exportConcurrency } from "@/lib/config";
import { createConcurrencyLimiter, type ConcurrencyLimiter } from "@/lib/http/concurrency";
import { gzippedBody } from "@/lib/http/gzip-in-transit";
import { jsonError } from "@/lib/http/json";
import { refusalWhileRestoring, tryAgainShortly } from "@/lib/http/maintenance";
import { collectedWhenDone } from "@/lib/http/memory";
import { startedStreamBody } from "@/lib/http/stream-body";

export type { ExportForm };

const MAX_WAITING_EXPORTS = 200;

const FORMATS = "ask for format=json (the default) or format=json.gz";

/** The backup API's ?format=: the JSON document, or the same as a .json.gz file. */
export const exportFormatInput = z.object({
  format: z
    .enum(["json", "json.gz"], { error: (issue) => `Unknown format ${JSON.stringify(issue.input)}: ${FORMATS}.` })
    .default("json"),
});

const cache = globalThis as unknown as { exportLimiter?: ConcurrencyLimiter };

/**
 * Each export holds a read transaction and its buffers, each snapshot download a copy of the
 * database on disk: a burst of them queues instead of piling up memory or filling the disk.
 */
export function downloadSlots(): ConcurrencyLimiter {
  cache.exportLimiter ??= createConcurrencyLimiter({ limit: exportConcurrency(), maxWaiting: MAX_WAITING_EXPORTS });
  return cache.exportLimiter;
}

/** What a client that went away is "answered": nobody reads it, and no download was made for it. */
export const clientGone = () => new Response(null, { status: 499, statusText: "Client Closed Request" });

function headersFor(form: ExportForm, filename: string): Record<string, string> {
  const common = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
  if (form === "json.gz") {
    return {
      ...common,
      "Content-Type": "application/gzip",
      "Content-Disposition": `attachment; filename=${filename}.gz`,
      // Already compressed: no proxy (nor Next) should touch it.
      "Cache-Control": "no-store, no-transform",
    };
  }
  return {
    ...common,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Disposition": `attachment; filename=${filename}`,
    Vary: "Accept-Encoding",
    // Gzipped in transit by us (Content-Encoding set by next.config.js), so nobody else should.
    ...(form === "gzip-in-transit" ? { "Cache-Control": "no-store, no-transform" } : {}),
  };
}

/** `signal` is the request's: its client going away, waiting or downloading, frees its slot. */
export async function exportResponse(
  who: { source: AuditSource; actor: string },
  form: ExportForm = "json",
  signal?: AbortSignal,
): Promise<Response> {
  const release = await downloadSlots().acquire(signal);
  if (signal?.aborted) {
    release?.();
    return clientGone();
  }
  if (!release) return tryAgainShortly("Too many backups are being downloaded at once. Try again shortly.");
  // Checked after the wait: a restore may have begun meanwhile.
  const busy = refusalWhileRestoring();
  if (busy) {
    release();
    return busy;
  }
  const download = startExportDownload(who, form);
  let body: ReadableStream<Uint8Array>;
  try {
    body = await startedStreamBody(collectedWhenDone(download.chunks), {
      signal,
      onEnd: (whole) => {
        release();
        download.ended(whole);
      },
    });
  } catch (error) {
    // In the History as failed, with this reason (lib/backup/export/download.ts).
    release();
    return jsonError(500, `The export could not be made: ${(error as Error).message}`);
  }
  const response = new Response(body, { status: 200, headers: headersFor(form, download.filename) });
  return form === "gzip-in-transit" ? gzippedBody(response) : response;
}
