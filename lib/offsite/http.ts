// What the off-site watch routes for automation answer (app/schedule/api/backup/):
//   GET  status/  for uptime monitors: 200 while fresh, 503 when stale, or when the continuous
//                 replica is configured but not running or behind more than BACKUP_REPLICA_MAX_LAG
//   POST drill/   the restore drill reports its result
//   POST stored/  a workflow reports a copy it stored (only that counts as off-site)
import { z } from "zod";

import { REPLICA_PROBLEMS, replicaStatus, type ReplicaStatus } from "@/lib/offsite/replica/status";
import { backupNameDate } from "@/lib/offsite/targets/target";
import { offsiteStatus } from "@/lib/offsite/watch";

/**
 * The replica's part of the status answer; null when no replica is configured. A fixed reason
 * and sentence, never `problem` itself: that may quote Litestream's errors (bucket, endpoint,
 * access key id), and this answer goes to a monitor outside the lab.
 */
export function replicaBody(replica: ReplicaStatus | null) {
  if (!replica) return null;
  return {
    ok: replica.problem === null,
    state: replica.state,
    last_shipped_at: replica.lastShippedAt?.toISOString() ?? null,
    lag_seconds: replica.lagMs === null ? null : Math.round(replica.lagMs / 100) / 10,
    max_lag_seconds: replica.maxLagMs / 1000,
    window_from: replica.window?.from.toISOString() ?? null,
    window_to: replica.window?.to.toISOString() ?? null,
    reason: replica.reason,
    problem: replica.reason && REPLICA_PROBLEMS[replica.reason],
  };
}

/** The status route's body; `ok` false makes it a 503, which monitors alert on. */
export async function statusReport() {
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
  return body;
}

export const drillReport = z.object({
  ok: z.boolean(),
  backup: z.string().max(300).optional(),
  detail: z.string().max(2000).optional(),
});

/** What the drill route takes, in words for a refusal. */
export const DRILL_REPORT_SHAPE = '{ "ok": true|false, "backup"?: "…", "detail"?: "…" }';

export const storedReport = z.object({
  name: z.string().refine((name) => backupNameDate(name) !== null, "not a dated backup's name"),
  bytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  target: z.string().min(1).max(300),
  retentionError: z.string().min(1).max(2000).optional(),
});

/** What the stored route takes, in words for a refusal. */
export const STORED_REPORT_SHAPE =
  '{ "name": "database_backup_<date>_<time>.json[.gz][.age]", "bytes": <size>, "sha256": "<64 hex>", "target": "<where>", "retentionError"?: "<why old backups were not deleted>" }';
