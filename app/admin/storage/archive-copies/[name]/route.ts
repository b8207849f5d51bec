import { z } from "zod";

import { archiveCopyByName } from "@/lib/admin/archive";
import { RouteError, staffRoute } from "@/lib/auth/route";
import { recordedFileDownload } from "@/lib/http/file-download";

export const dynamic = "force-dynamic";

/** The copy of the archive taken before a clear (names only, never paths). */
export const GET = staffRoute(z.object({ name: z.string() }), async ({ request, input, staff }) => {
  const file = archiveCopyByName(input.name);
  if (!file) throw new RouteError(404, "No such copy of the archive.");
  return recordedFileDownload(file, input.name, {
    kind: "archive-export",
    who: { source: "ui", actor: staff.username },
    what: `Copy of the cleared archive ${input.name}`,
    contentType: "application/json; charset=utf-8",
    signal: request.signal,
  });
});
