import { requireStaff } from "@/lib/auth/guard";
import { readMaintenance } from "@/lib/backup/maintenance";
import { jsonError } from "@/lib/http/json";

export const dynamic = "force-dynamic";

/** What the running restore is doing, polled by the progress bar. */
export async function GET() {
  const staff = await requireStaff();
  if (!staff.ok) return jsonError(staff.status, staff.error);
  const state = readMaintenance();
  return Response.json(
    {
      running: Boolean(state),
      operation: state?.operation,
      phase: state?.phase,
      progress: state?.progress,
      actor: state?.actor,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}
