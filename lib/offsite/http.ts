// The off-site watch routes for automation, behind the backup API key and its rate limit:
//   GET  /schedule/api/backup/status/  for uptime monitors: 200 while fresh, 503 when stale, or
//                                      when the continuous replica is configured but not
//                                      running or behind more than BACKUP_REPLICA_MAX_LAG
//   POST /schedule/api/backup/drill/   the restore drill reports its result
import { z } from "zod";

import { refuseUnlessBackupKey } from "@/lib/backup/http/api";
import { jsonError } from "@/lib/http/json";
import { replicaStatus, type ReplicaStatus } from "@/lib/offsite/replica/status";
import { offsiteStatus, recordDrill } from "@/lib/offsite/watch";

const NO_STORE = { "Cache-Control": "no-store" };

/** The replica's part of the status answer; null when no replica is configured. */
function replicaBody(replica: ReplicaStatus | null) {
  if (!replica) return null;
  return {
    ok: replica.problem === null,
    state: replica.state,
    last_shipped_at: replica.lastShippedAt?.toISOString() ?? null,
    lag_seconds: replica.lagMs === null ? null : Math.round(replica.lagMs / 100) / 10,
    max_lag_seconds: replica.maxLagMs / 1000,
    window_from: replica.window?.from.toISOString() ?? null,
    window_to: replica.window?.to.toISOString() ?? null,
    problem: replica.problem,
  };
}

export async function handleStatusRequest(request: Request): Promise<Response> {
  const refused = refuseUnlessBackupKey(request);
  if (refused) return refused;
  const [status, replica] = await Promise.all([offsiteStatus(), replicaStatus()]);
  const body = {
    ok: status.level === "ok" && (replica === null || replica.problem === null),
    last_backup_at: status.lastBackupAt?.toISOString() ?? null,
    age_hours: status.ageHours === null ? null : Math.round(status.ageHours * 10) / 10,
    max_age_hours: status.maxAgeHours,
    last_restore_drill_at: status.lastDrill?.at.toISOString() ?? null,
    last_restore_drill_ok: status.lastDrill?.ok ?? null,
    replica: replicaBody(replica),
  };
  return Response.json(body, { status: body.ok ? 200 : 503, headers: NO_STORE });
}

const drillReport = z.object({
  ok: z.boolean(),
  backup: z.string().max(300).optional(),
  detail: z.string().max(2000).optional(),
});

export async function handleDrillReport(request: Request): Promise<Response> {
  const refused = refuseUnlessBackupKey(request);
  if (refused) return refused;
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return jsonError(400, 'The body must be JSON: { "ok": true|false, "backup"?: "…", "detail"?: "…" }.');
  }
  const parsed = drillReport.safeParse(body);
  if (!parsed.success) {
    return jsonError(400, 'The body must be { "ok": true|false, "backup"?: "…", "detail"?: "…" }.');
  }
  await recordDrill(parsed.data);
  return Response.json({ recorded: true }, { status: 201, headers: NO_STORE });
}
