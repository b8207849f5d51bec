// Is the lab's data safe off-site right now? The answer behind the banner on every admin
// page, the "Last off-site backup" line on Manage Storage and GET /schedule/api/backup/status/.
// Silent failure is the classic way backups die: a rotated key or a dead service stops the
// weekly job, and nobody looks until the day they need a backup.
import { recordAudit } from "@/lib/backup/audit";
import { backupMaxAgeHours } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";

/** "ok" while fresh; "stale" past the limit; "never" when no off-site backup was ever taken. */
export type OffsiteLevel = "ok" | "stale" | "never";

/** A recorded outcome: a restore drill, or a push to the S3 target. */
export interface Outcome {
  at: Date;
  ok: boolean;
  detail: string;
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
 * Off-site backups: an export fetched with the backup API key (what the weekly job, or any
 * automation, keeps elsewhere) and a push to the S3 target.
 */
async function lastOffsiteBackup(): Promise<Date | null> {
  const event = await prisma().backupEvent.findFirst({
    where: { result: "ok", OR: [{ kind: "export", source: "api" }, { kind: "push" }] },
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
  return event ? { at: event.startedAt, ok: event.result === "ok", detail: event.detail } : null;
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
