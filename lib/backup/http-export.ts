// The streaming HTTP response for a complete-database export, shared by the bearer-key
// API and the staff download, audited when it ends. Compression is left to the server:
// Next strips Content-Encoding from route-handler responses (send-response.js), while
// its own compression gzips this stream when the client accepts gzip.
import { Readable } from "node:stream";
import { recordAudit, type AuditSource } from "@/lib/backup/audit";
import { createExport } from "@/lib/backup/export";
import { readMaintenance, RETRY_AFTER_SECONDS } from "@/lib/backup/maintenance";
import { jsonError } from "@/lib/http/json";

async function* asBuffers(chunks: AsyncIterable<string>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) yield Buffer.from(chunk);
}

export function maintenanceResponse(): Response | null {
  const state = readMaintenance();
  if (!state) return null;
  return jsonError(503, `The database is being restored (${state.phase}). Try again shortly.`, {
    "Retry-After": String(RETRY_AFTER_SECONDS),
  });
}

export function exportResponse(who: { source: AuditSource; actor: string }): Response {
  const busy = maintenanceResponse();
  if (busy) return busy;
  const startedAt = new Date();
  const backup = createExport();
  const body = Readable.from(asBuffers(backup.chunks), { objectMode: false });
  backup.summary.then(
    (s) => recordAudit({ kind: "export", ...who, startedAt, result: s.complete ? "ok" : "failed", bytes: s.bytes, sha256: s.sha256, detail: JSON.stringify(s.counts) }),
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
