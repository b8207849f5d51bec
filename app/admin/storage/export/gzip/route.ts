import { staffRoute } from "@/lib/auth/route";
import { exportResponse } from "@/lib/http/export";
import { gzipInTransit } from "@/lib/http/gzip-in-transit";

export const dynamic = "force-dynamic";

/** The export for a browser (it accepts gzip): `Content-Encoding: gzip` (next.config.js), the app's own gzip. */
export const GET = gzipInTransit(
  staffRoute(({ request, staff }) =>
    exportResponse({ source: "ui", actor: staff.username }, "gzip-in-transit", request.signal),
  ),
);
