import { bearerRoute } from "@/lib/auth/route";
import { exportFormatInput, exportResponse } from "@/lib/http/export";
import { gzipInTransit } from "@/lib/http/gzip-in-transit";

export const dynamic = "force-dynamic";

/** The export for a client that accepts gzip: `Content-Encoding: gzip` (next.config.js), the app's own gzip. */
export const GET = gzipInTransit(
  bearerRoute("export", exportFormatInput, ({ request, input }) =>
    exportResponse(
      { source: "api", actor: "backup API key" },
      input.format === "json" ? "gzip-in-transit" : input.format,
      request.signal,
    ),
  ),
);
