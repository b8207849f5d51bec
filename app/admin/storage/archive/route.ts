import { z } from "zod";

import { archiveResponse } from "@/lib/admin/archive";
import { staffRoute } from "@/lib/auth/route";

export const dynamic = "force-dynamic";

const ASK = "Ask for format=json or format=csv.";

/** GET /admin/storage/archive?format=csv|json: every archived measurement, streamed. */
export const GET = staffRoute(
  z.object({ format: z.enum(["json", "csv"], { error: ASK }).default("json") }),
  async ({ input, staff }) => archiveResponse(input.format, staff.username),
);
