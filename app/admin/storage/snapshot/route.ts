import { staffRoute } from "@/lib/auth/route";
import { snapshotResponse } from "@/lib/http/snapshot";

export const dynamic = "force-dynamic";

/** GET /admin/storage/snapshot: a SQLite snapshot of the live database. */
export const GET = staffRoute(({ request, staff }) =>
  snapshotResponse({ source: "ui", actor: staff.username }, request.signal),
);
