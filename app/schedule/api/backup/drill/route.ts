import { bearerRoute, jsonBody } from "@/lib/auth/route";
import { DRILL_REPORT_SHAPE, drillReport } from "@/lib/offsite/http";
import { recordDrill } from "@/lib/offsite/watch";

export const dynamic = "force-dynamic";

/** The restore drill reports its result. */
export const POST = bearerRoute("export", async ({ request }) => {
  await recordDrill(await jsonBody(request, drillReport, DRILL_REPORT_SHAPE));
  return Response.json({ recorded: true }, { status: 201, headers: { "Cache-Control": "no-store" } });
});
