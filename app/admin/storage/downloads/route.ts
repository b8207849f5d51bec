import { requireStaff } from "@/lib/auth/guard";
import { downloadsSince } from "@/lib/backup/audit";
import { jsonError } from "@/lib/http/json";

export const dynamic = "force-dynamic";

/** GET /admin/storage/downloads?after=ID: the signed-in person's downloads since then (polled after a click). */
export async function GET(request: Request) {
  const staff = await requireStaff();
  if (!staff.ok) return jsonError(staff.status, staff.error);
  const after = Number(new URL(request.url).searchParams.get("after") ?? 0);
  const rows = await downloadsSince(Number.isSafeInteger(after) && after >= 0 ? after : 0, staff.account.username);
  const downloads = rows.map((r) => {
    let file = r.kind;
    try {
      file = String((JSON.parse(r.detail) as { file?: string }).file ?? r.kind);
    } catch {
      // An older event without a file name.
    }
    return { id: r.id, kind: r.kind, result: r.result, file, bytes: r.bytes, sha256: r.sha256 };
  });
  return Response.json({ downloads }, { headers: { "Cache-Control": "no-store" } });
}
