// Responses sent with `Content-Encoding: gzip`, for the export routes a gzip-accepting client
// is sent to (next.config.js). Next drops a Content-Encoding a route handler sets
// (send-response.js, FORBIDDEN_HEADERS), so next.config.js sets it for those routes, before
// the handler runs; the handler's part is that every body it answers there is gzip: the export
// as the app's own single gzip member (lib/backup/export/gzip-single.ts), anything else (a
// refusal, an error) gzipped here.
import type { RouteHandler } from "@/lib/auth/route";

const alreadyGzipped = new WeakSet<Response>();

/** Marks a response whose body is gzip already (the export in the gzip-in-transit form). */
export function gzippedBody(response: Response): Response {
  alreadyGzipped.add(response);
  return response;
}

/** The handler, with every answer's body gzipped (the export's own gzip passed on as it is). */
export function gzipInTransit(handler: RouteHandler): RouteHandler {
  return async (request, context) => {
    const response = await handler(request, context);
    if (alreadyGzipped.has(response)) return response;
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    const body = response.body ?? new Blob([]).stream();
    return new Response(body.pipeThrough(new CompressionStream("gzip")), {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  };
}
