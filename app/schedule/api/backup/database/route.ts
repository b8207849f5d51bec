import { bearerRoute } from "@/lib/auth/route";
import { exportFormatInput, exportResponse } from "@/lib/http/export";

export const dynamic = "force-dynamic";

/**
 * GET /schedule/api/backup/database/: the complete-database export, the JSON document or with
 * ?format=json.gz the same gzipped as a file (what the backup workflows fetch). A client that
 * accepts gzip and asks for the document is sent to ./gzip/ by next.config.js.
 */
export const GET = bearerRoute("export", exportFormatInput, ({ request, input }) =>
  exportResponse({ source: "api", actor: "backup API key" }, input.format, request.signal),
);
