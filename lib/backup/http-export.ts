// The streaming HTTP response for a complete-database export, shared by the bearer-key
// API and the staff download: gzip when the client accepts it, audited when it ends.
import { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import { recordAudit, type AuditSource } from "@/lib/backup/audit";
import { createExport } from "@/lib/backup/export";
import { readMaintenance, RETRY_AFTER_SECONDS } from "@/lib/backup/maintenance";
import { jsonError } from "@/lib/http/json";

export function acceptsGzip(acceptEncoding: string | null): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return (coding === "gzip" || coding === "x-gzip") && (!q || Number(q.slice(2)) > 0);
  });
}

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

export function exportResponse(request: Request, who: { source: AuditSource; actor: string }): Response {
  const busy = maintenanceResponse();
  if (busy) return busy;
  const startedAt = new Date();
  const backup = createExport();
  const gzip = acceptsGzip(request.headers.get("accept-encoding"));
  const bytes = Readable.from(asBuffers(backup.chunks), { objectMode: false });
  const body = gzip ? bytes.pipe(createGzip({ level: 4 })) : bytes;
  if (gzip) bytes.on("error", (error) => body.destroy(error));
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
  if (gzip) headers["Content-Encoding"] = "gzip";
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { status: 200, headers });
}
