import { bearerRoute } from "@/lib/auth/route";
import { statusReport } from "@/lib/offsite/http";

export const dynamic = "force-dynamic";

/** For uptime monitors: 200 while the off-site backups (and the replica) are fresh, 503 when not. */
export const GET = bearerRoute("status", async () => {
  const report = await statusReport();
  return Response.json(report, { status: report.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
});
