// GET /admin/storage/cloud?target=s3&key=… — an off-site backup streamed through the app to a
// staff member's browser (the store's credentials never leave the server).
import { openCloudBackup } from "@/lib/admin/cloud";
import { requireStaff } from "@/lib/auth/guard";
import { jsonError } from "@/lib/http/json";
import { streamBody } from "@/lib/http/stream-body";
import { TargetError } from "@/lib/offsite/targets/target";

export async function handleCloudDownload(request: Request): Promise<Response> {
  const staff = await requireStaff();
  if (!staff.ok) return jsonError(staff.status, staff.error);
  const url = new URL(request.url);
  const target = url.searchParams.get("target");
  const key = url.searchParams.get("key");
  if ((target !== "s3" && target !== "github") || !key) {
    return jsonError(400, "Name a backup: ?target=s3|github&key=….");
  }
  try {
    const { name, stream } = await openCloudBackup(target, key);
    return new Response(streamBody(stream, { signal: request.signal }), {
      headers: {
        "Content-Type": name.endsWith(".json") ? "application/json" : "application/octet-stream",
        "Content-Disposition": `attachment; filename="${name}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof TargetError) return jsonError(404, error.message);
    console.error("An off-site download failed:", error);
    return jsonError(500, "The download failed; see the server log.");
  }
}
