// Is the lab's data safe off-site right now? The answer behind the banner on every admin
// page, the "Last off-site backup" line on Manage Storage and GET /schedule/api/backup/status/.
// Silent failure is the classic way backups die: a rotated key or a dead service stops the
// weekly job, and nobody looks until the day they need a backup.
import { recordAudit } from "@/lib/backup/audit";
import { backupMaxAgeHours } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { formatBytes } from "@/lib/format";
import { notDeletedWarning, notDeletedWords } from "@/lib/offsite/retention";
import type { OffsiteBackup } from "@/lib/offsite/targets/target";

/** "ok" while fresh; "stale" past the limit; "never" when no off-site backup was ever taken. */
export type OffsiteLevel = "ok" | "stale" | "never";

/** A recorded outcome: a restore drill, or a push to the S3 target. */
export interface Outcome {
  at: Date;
  ok: boolean;
  detail: string;
  /** A push that stored its copy but could not delete old backups: why, as a sentence. */
  warning: string | null;
}

export interface OffsiteStatus {
  level: OffsiteLevel;
  lastBackupAt: Date | null;
  ageHours: number | null;
  maxAgeHours: number;
  lastDrill: Outcome | null;
  /** The last push to the S3 target (backup:push or the in-app schedule), failed or not. */
  lastPush: Outcome | null;
}

const HOUR_MS = 3_600_000;

/**
 * Off-site backups are the ones a target confirmed it stores: a push whose upload completed
 * (backup:push, the in-app schedule), a copy the weekly workflow or `backup:push --from-api`
 * reported after storing it (POST /schedule/api/backup/stored/), or one a listing of a target
 * showed. An export merely served never counts: a job that downloads and then fails to store,
 * or anyone with the key and curl, must not turn the status green.
 */
async function lastOffsiteBackup(): Promise<Date | null> {
  const event = await prisma().backupEvent.findFirst({
    where: { result: "ok", kind: "push" },
    orderBy: { startedAt: "desc" },
    select: { startedAt: true },
  });
  return event?.startedAt ?? null;
}

async function lastOutcome(kind: "drill" | "push"): Promise<Outcome | null> {
  const event = await prisma().backupEvent.findFirst({
    where: { kind },
    orderBy: { startedAt: "desc" },
    select: { startedAt: true, result: true, detail: true },
  });
  if (!event) return null;
  const ok = event.result === "ok";
  const warning = kind === "push" && ok ? notDeletedWarning(event.detail) : null;
  return { at: event.startedAt, ok, detail: event.detail, warning };
}

export async function offsiteStatus(now = new Date()): Promise<OffsiteStatus> {
  const [lastBackupAt, drill, push] = await Promise.all([
    lastOffsiteBackup(),
    lastOutcome("drill"),
    lastOutcome("push"),
  ]);
  const maxAgeHours = backupMaxAgeHours();
  const ageHours = lastBackupAt ? Math.max(0, (now.getTime() - lastBackupAt.getTime()) / HOUR_MS) : null;
  const level: OffsiteLevel = ageHours === null ? "never" : ageHours > maxAgeHours ? "stale" : "ok";
  return { level, lastBackupAt, ageHours, maxAgeHours, lastDrill: drill, lastPush: push };
}

export interface DrillReport {
  ok: boolean;
  backup?: string;
  detail?: string;
}

/** The restore drill reports here when it ends, so Manage Storage shows when one last passed. */
export async function recordDrill(report: DrillReport, startedAt = new Date()): Promise<void> {
  const words = report.ok ? "The restore drill passed" : "The restore drill failed";
  const on = report.backup ? ` on ${report.backup}` : "";
  await recordAudit({
    kind: "drill",
    source: "api",
    actor: "restore drill",
    startedAt,
    result: report.ok ? "ok" : "failed",
    detail: `${words}${on}${report.detail ? `: ${report.detail}` : "."}`,
  });
}

export interface StoredReport {
  /** The file as stored: database_backup_<stamp>.json[.gz][.age]. */
  name: string;
  bytes: number;
  sha256: string;
  /** Where, in words (`github.com/lab/queue (database-backups)`, `s3://bucket/prefix`). */
  target: string;
  /** Why old backups could not be deleted after this one was stored (an append-only key), if so. */
  retentionError?: string;
}

/** A copy automation reports stored counts from the moment it is reported (just after it was stored). */
export async function recordStored(report: StoredReport, actor: string, startedAt = new Date()): Promise<void> {
  await recordAudit({
    kind: "push",
    source: "api",
    actor,
    startedAt,
    result: "ok",
    bytes: report.bytes,
    sha256: report.sha256,
    detail: `${report.name} stored in ${report.target} (${formatBytes(report.bytes)})${notDeletedWords(report.retentionError)}`,
  });
}

/**
 * A target's listing shows a backup newer than any confirmed: it is off-site, whoever put it
 * there (a workflow that could not report back, a copy made by hand). Recorded once.
 */
export async function recordListedBackup(backup: OffsiteBackup, label: string): Promise<boolean> {
  const last = await lastOffsiteBackup();
  if (last && last.getTime() >= backup.date.getTime()) return false;
  if (backup.date.getTime() > Date.now()) return false;
  await recordAudit({
    kind: "push",
    source: "ui",
    actor: "Cloud Backups listing",
    startedAt: backup.date,
    result: "ok",
    bytes: backup.bytes,
    sha256: backup.sha256 ?? undefined,
    detail: `${backup.name} found in ${label} (${formatBytes(backup.bytes)})`,
  });
  return true;
}
