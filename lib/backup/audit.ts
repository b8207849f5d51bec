// The history of exports, snapshots and restores shown on Manage Storage. It lives in
// its own table, outside the backup set, so a restore never rewrites it.
import type { PrismaClient } from "@/generated/prisma/client";
import { databaseUrl } from "@/lib/config";
import { formatDateTime } from "@/lib/format";

/**
 * The history's table, through Prisma loaded when history is first read or written: the CLIs
 * record one event after their work, and loading Prisma before it would add to the work's memory.
 */
async function events(): Promise<PrismaClient["backupEvent"]> {
  return (await import("@/lib/db/prisma")).prisma().backupEvent;
}

/** A DateTime as Prisma's SQLite adapter stores it (`…T03:04:05.678+00:00`), so Prisma reads it back alike. */
const storedDateTime = (date: Date) => date.toISOString().replace("Z", "+00:00");

/**
 * The one row, as one statement of the engine's (lib/db/engine: runAlone), not through Prisma:
 * loading Prisma and its query compiler for it was most of a CLI restore's fixed start cost on
 * SQLite (~0.85 s of ~1.5 s), and 1.2-2.6 s at the end of a restore into PostgreSQL.
 */
async function insertEvent(data: AuditEntry & { finishedAt: Date; detail: string }): Promise<void> {
  // The database of the moment it happened, named before the first await.
  const url = databaseUrl();
  const { sqlEngine } = await import("@/lib/db/engine/transactions");
  await sqlEngine(url).runAlone(
    `INSERT INTO backup_event (kind, source, actor, started_at, finished_at, result, bytes, sha256, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      data.kind,
      data.source,
      data.actor,
      storedDateTime(data.startedAt),
      storedDateTime(data.finishedAt),
      data.result,
      data.bytes ?? null,
      data.sha256 ?? null,
      data.detail,
    ],
  );
}

/**
 * Every kind of event the History records, and the group its filter files it under: one table,
 * so a new kind gets a group or does not compile, and no kind is listed twice.
 */
export const AUDIT_KIND_GROUP = {
  export: "backups",
  snapshot: "backups",
  restore: "backups",
  rollback: "backups",
  "clear-archive": "backups",
  "archive-export": "backups",
  push: "offsite",
  drill: "offsite",
  "replica-check": "offsite",
  "cloud-check": "offsite",
  account: "accounts",
  "sign-in": "accounts",
  lockout: "accounts",
} as const;
export type AuditKind = keyof typeof AUDIT_KIND_GROUP;
/** What happened, in three groups: backups and restores, off-site copies and their checks, accounts and sign-ins. */
export type AuditGroup = (typeof AUDIT_KIND_GROUP)[AuditKind];
export type AuditSource = "ui" | "api" | "cli" | "schedule";

export interface AuditEntry {
  kind: AuditKind;
  source: AuditSource;
  actor: string;
  startedAt: Date;
  result: "ok" | "failed";
  bytes?: number;
  sha256?: string;
  detail?: string;
}

/** Best effort: a failure to write history must not turn a good backup into an error. */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  try {
    const data = { ...entry, finishedAt: new Date(), detail: (entry.detail ?? "").slice(0, 4000) };
    await insertEvent(data);
  } catch (error) {
    console.error(`Could not record the ${entry.kind} in the audit history: ${(error as Error).message}`);
  }
}

/**
 * Failed sign-ins and lock-outs: dozens an hour under a guessing attack, which would push every
 * export and restore out of the History's rows. They are summed up apart (signInTrouble).
 */
export const SIGN_IN_KINDS: AuditKind[] = ["sign-in", "lockout"];

/** The newest events, newest first: of the kinds in `only`, or all but sign-in trouble. */
export async function recentAudit(take = 20, only?: AuditKind[]) {
  return (await events()).findMany({ where: kindsWhere(only), orderBy: { id: "desc" }, take });
}

/** The kinds filed under a group. */
export function kindsOf(group: AuditGroup): AuditKind[] {
  return (Object.keys(AUDIT_KIND_GROUP) as AuditKind[]).filter((kind) => AUDIT_KIND_GROUP[kind] === group);
}

function kindsWhere(only?: AuditKind[]) {
  return only ? { kind: { in: only } } : { kind: { notIn: SIGN_IN_KINDS } };
}

/** How many events there are of the kinds in `only`, or of all but sign-in trouble. */
export async function countAudit(only?: AuditKind[]): Promise<number> {
  return (await events()).count({ where: kindsWhere(only) });
}

/** One page of events, newest first: `skip` newer ones passed over, then `take`. */
export async function auditPage(skip: number, take: number, only?: AuditKind[]) {
  return (await events()).findMany({ where: kindsWhere(only), orderBy: { id: "desc" }, skip, take });
}

export interface SignInTrouble {
  /** Failed sign-ins (and "sign in as" checks) since the time asked for. */
  failures: number;
  /** The usernames tried most, with their failures, most first (a few). */
  usernames: { username: string; failures: number }[];
  lastFailureAt: Date | null;
  lockouts: number;
  /** The latest lock-outs, newest first (a few), each in words. */
  latestLockouts: { at: Date; detail: string }[];
}

export const SIGN_IN_TROUBLE_HOURS = 24;

/** Failed sign-ins and lock-outs since `since` (the last 24 hours), summed up: what History shows of them. */
export async function signInTrouble(
  since = new Date(Date.now() - SIGN_IN_TROUBLE_HOURS * 3_600_000),
  top = 5,
): Promise<SignInTrouble> {
  const history = await events();
  const failed = { kind: "sign-in", startedAt: { gte: since } };
  const locked = { kind: "lockout", startedAt: { gte: since } };
  const [failures, lockouts, byUsername, latestLockouts, last] = await Promise.all([
    history.count({ where: failed }),
    history.count({ where: locked }),
    history.groupBy({
      by: ["actor"],
      where: failed,
      _count: { actor: true },
      orderBy: [{ _count: { actor: "desc" } }, { actor: "asc" }],
      take: top,
    }),
    history.findMany({ where: locked, orderBy: { id: "desc" }, take: top, select: { startedAt: true, detail: true } }),
    history.findFirst({ where: failed, orderBy: { id: "desc" }, select: { startedAt: true } }),
  ]);
  return {
    failures,
    usernames: byUsername.map((g) => ({ username: g.actor, failures: g._count.actor })),
    lastFailureAt: last?.startedAt ?? null,
    lockouts,
    latestLockouts: latestLockouts.map((e) => ({ at: e.startedAt, detail: e.detail })),
  };
}

/**
 * "before ada restored export.json on 2026-11-25 06:27 UTC": the restore that took a safety
 * snapshot, in words, found in the history; null when the history does not say.
 */
export async function restoreBeforeSnapshot(snapshot: string): Promise<string | null> {
  const history = await events();
  const event = await history.findFirst({
    where: {
      kind: { in: ["restore", "rollback"] },
      result: "ok",
      detail: { contains: `"safetySnapshot":"${snapshot}"` },
    },
    orderBy: { id: "desc" },
  });
  if (!event) return null;
  let file = "a backup";
  let merged = false;
  try {
    const detail = JSON.parse(event.detail) as { summary?: string; file?: string; mode?: string };
    file = detail.file ?? detail.summary?.replace(/^[\d,]+ records from /, "") ?? file;
    merged = detail.mode === "merge";
  } catch {
    // Keep the general words.
  }
  const when = formatDateTime(event.startedAt);
  const what = event.kind === "rollback" ? "rolled back to" : merged ? "merged" : "restored";
  return `before ${event.actor} ${what} ${file} on ${when}`;
}

export interface CloudCheck {
  key: string;
  /** The SHA-256 recorded at push time that the downloaded bytes were compared with. */
  recorded: string;
  ok: boolean;
}

/** The latest check of each off-site backup fetched (by key), newest first. */
export async function cloudChecks(take = 500): Promise<Map<string, CloudCheck>> {
  const rows = await (await events()).findMany({ where: { kind: "cloud-check" }, orderBy: { id: "desc" }, take });
  const checks = new Map<string, CloudCheck>();
  for (const row of rows) {
    try {
      const { key, recorded } = JSON.parse(row.detail) as { key: string; recorded: string };
      if (!checks.has(key)) checks.set(key, { key, recorded, ok: row.result === "ok" });
    } catch {
      // Not a check's detail: skip it.
    }
  }
  return checks;
}

/** Downloads (exports and snapshots) a person made after event `afterId`, newest first. */
export async function downloadsSince(afterId: number, actor: string) {
  return (await events()).findMany({
    where: { id: { gt: afterId }, actor, kind: { in: ["export", "snapshot"] }, source: "ui" },
    orderBy: { id: "desc" },
    take: 5,
  });
}
