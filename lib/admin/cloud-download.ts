// GET /admin/storage/cloud?target=s3&key=… — an off-site backup streamed through the app to a
// staff member's browser (the store's credentials never leave the server).
import path from "node:path";

import { z } from "zod";

import { openCloudBackup } from "@/lib/admin/cloud";
import { RouteError } from "@/lib/auth/route";
import { streamBody } from "@/lib/http/stream-body";
import { backupNameDate, TargetError } from "@/lib/offsite/targets/target";

/** What the Cloud Backups card says after a download that could not start (the page's query). */
export type CloudDownloadProblem = { name: string; reason: "gone" | "failed" };

/** A browser following the Download link (not a script asking for the file). */
function wantsPage(request: Request): boolean {
  return (request.headers.get("accept") ?? "").includes("text/html");
}

/** 303 to Manage Storage naming the backup (its file name only: no message, nothing secret in a URL). */
function backToPage(request: Request, key: string, reason: CloudDownloadProblem["reason"]): Response {
  const page = new URL("/admin/storage", request.url);
  page.searchParams.set("download", reason);
  page.searchParams.set("backup", path.posix.basename(key));
  page.hash = "cloud";
  return new Response(null, { status: 303, headers: { Location: `${page.pathname}${page.search}${page.hash}` } });
}

/** The problem a Manage Storage query names, when it is one of ours and names a backup. */
export function cloudDownloadProblem(
  query: Record<string, string | string[] | undefined>,
): CloudDownloadProblem | null {
  const { download: reason, backup: name } = query;
  if ((reason !== "gone" && reason !== "failed") || typeof name !== "string" || !backupNameDate(name)) return null;
  return { name, reason };
}

const NAME_A_BACKUP = "Name a backup: ?target=s3|github&key=….";

export const cloudDownloadInput = z.object({
  target: z.enum(["s3", "github"], { error: NAME_A_BACKUP }),
  key: z.string({ error: NAME_A_BACKUP }).min(1, { error: NAME_A_BACKUP }),
});

export async function cloudDownload(
  request: Request,
  { target, key }: z.infer<typeof cloudDownloadInput>,
): Promise<Response> {
  let backup: Awaited<ReturnType<typeof openCloudBackup>>;
  try {
    backup = await openCloudBackup(target, key);
  } catch (error) {
    if (!(error instanceof TargetError)) throw error;
    // A person clicked Download: back to the page, which says so in words (the list there is fresh).
    if (wantsPage(request)) return backToPage(request, key, error.missing ? "gone" : "failed");
    throw new RouteError(404, error.message);
  }
  return new Response(streamBody(backup.stream, { signal: request.signal }), {
    headers: {
      "Content-Type": backup.name.endsWith(".json") ? "application/json" : "application/octet-stream",
      "Content-Disposition": `attachment; filename="${backup.name}"`,
      "Cache-Control": "no-store",
    },
  });
}
