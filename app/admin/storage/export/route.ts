import { staffRoute } from "@/lib/auth/route";
import { exportResponse } from "@/lib/http/export";

export const dynamic = "force-dynamic";

/**
 * GET /admin/storage/export: the complete export, as a plain download. A browser (which
 * accepts gzip) is sent to ./gzip instead by next.config.js, and gets it gzipped in transit.
 */
export const GET = staffRoute(({ request, staff }) =>
  exportResponse({ source: "ui", actor: staff.username }, "json", request.signal),
);
