import { bearerRoute, jsonBody } from "@/lib/auth/route";
import { STORED_REPORT_SHAPE, storedReport } from "@/lib/offsite/http";
import { recordStored } from "@/lib/offsite/watch";

export const dynamic = "force-dynamic";

/** A workflow reports a copy it stored (name, size, SHA-256): only that counts as off-site. */
export const POST = bearerRoute("export", async ({ request }) => {
  await recordStored(await jsonBody(request, storedReport, STORED_REPORT_SHAPE), "backup workflow");
  return Response.json({ recorded: true }, { status: 201, headers: { "Cache-Control": "no-store" } });
});
