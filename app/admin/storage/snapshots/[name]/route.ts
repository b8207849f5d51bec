import { z } from "zod";

import { RouteError, staffRoute } from "@/lib/auth/route";
import { safetySnapshotByName } from "@/lib/backup/snapshot";
import { recordedFileDownload } from "@/lib/http/file-download";

export const dynamic = "force-dynamic";

/** A safety snapshot taken before a restore, by name (names only, never paths). */
export const GET = staffRoute(z.object({ name: z.string() }), async ({ request, input, staff }) => {
  const snapshot = safetySnapshotByName(input.name);
  if (!snapshot) throw new RouteError(404, "No such safety snapshot.");
  return recordedFileDownload(snapshot.file, snapshot.name, {
    kind: "snapshot",
    who: { source: "ui", actor: staff.username },
    what: `Safety snapshot ${snapshot.name}`,
    signal: request.signal,
  });
});
