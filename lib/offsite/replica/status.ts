// Is every change on its way to the replica? What Manage Storage's Continuous replica card,
// the banner and GET /schedule/api/backup/status/ report: whether Litestream runs, how far
// the replica is behind the live file, and the window a restore can go back to.
import fs from "node:fs";

import { databasePath, providerTimeoutMs, replicaSettings, type ReplicaSettings } from "@/lib/config";
import { describeDestination, writeLitestreamConfig } from "@/lib/offsite/replica/config-file";
import { recordInWords, runLitestream } from "@/lib/offsite/replica/restore";
import { readReplicatorState, type ReplicatorState } from "@/lib/offsite/replica/state";

export interface ReplicaWindow {
  /** The oldest and newest moment a restore can bring back. */
  from: Date;
  to: Date;
}

export interface ReplicaStatus {
  destination: string;
  encrypted: boolean;
  /** "off" = configured, but nothing (npm start) ever ran Litestream on this data folder. */
  state: ReplicatorState["state"] | "off";
  restarts: number;
  lastExit: ReplicatorState["lastExit"];
  /** When the newest change reached the replica. */
  lastShippedAt: Date | null;
  /** How long the oldest change not yet in the replica has waited (0 when none waits). */
  lagMs: number | null;
  maxLagMs: number;
  window: ReplicaWindow | null;
  /** What is wrong, in plain words, for staff (may quote Litestream); null while replication is sound. */
  problem: string | null;
  /** The same as a fixed code, for outside monitors; null while replication is sound. */
  reason: ReplicaProblemReason | null;
}

/**
 * What the status route tells an uptime monitor. Fixed sentences: Litestream's own error text
 * can name the bucket, the endpoint or the access key id, and the monitor is outside the lab.
 */
export const REPLICA_PROBLEMS = {
  "replica-off": "Continuous replication is set up but not running.",
  "replica-stopped": "Continuous replication has stopped.",
  "replica-restarting": "Continuous replication is being restarted.",
  "replica-empty": "The replica holds no data yet.",
  "replica-behind": "Changes have waited longer than allowed to be copied to the replica.",
  "replica-unreachable": "The replica cannot be read. Staff can see why on Manage Storage.",
} as const;

export type ReplicaProblemReason = keyof typeof REPLICA_PROBLEMS;

const UNITS_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, µs: 0.001, us: 0.001, ns: 1e-6 };

/** A Go duration as Litestream prints it (`-40ms`, `1.5s`, `2m3.1s`) in milliseconds. */
export function parseGoDuration(text: string): number | null {
  const match = /^(-?)((?:\d+(?:\.\d+)?(?:h|ms|m|s|µs|us|ns))+|0)$/.exec(text.trim());
  if (!match) return null;
  let ms = 0;
  for (const [, amount, unit] of match[2]!.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|µs|us|ns)/g)) {
    ms += Number(amount) * UNITS_MS[unit!]!;
  }
  return match[1] ? -ms : ms;
}

export interface Generation {
  generation: string;
  /** Litestream's lag: the live file's last write against the replica's newest change. */
  lagMs: number;
  start: Date;
  end: Date;
}

/** `litestream generations` output, one entry per generation in the replica. */
export function parseGenerations(output: string): Generation[] {
  return output
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => cells.length === 5)
    .flatMap(([, generation, lag, start, end]) => {
      const lagMs = parseGoDuration(lag!);
      const [from, to] = [new Date(start!), new Date(end!)];
      if (lagMs === null || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return [];
      return [{ generation: generation!, lagMs, start: from, end: to }];
    });
}

/**
 * Why Litestream could not list the replica, from its log, or null when it could. Litestream
 * 0.3.13's `generations` exits 0 when the store refuses or cannot be reached: it logs
 * `level=ERROR msg="cannot list generations" … error="…"` and prints an empty table, which
 * would read as "the replica holds no data yet". That log record is the only sign.
 */
export function listingError(output: string): string | null {
  const record = output.split("\n").find((line) => /\blevel=ERROR\b/.test(line));
  if (!record) return null;
  return /\bmsg=/.test(record) ? recordInWords(record) : "Litestream failed";
}

/** The generations the replica holds (empty when it holds nothing yet); throws when it cannot be listed. */
export async function replicaGenerations(settings: ReplicaSettings, database = databasePath()): Promise<Generation[]> {
  const config = writeLitestreamConfig(database, settings);
  const output = await runLitestream(["generations", "-config", config, database], settings, {
    timeoutMs: providerTimeoutMs(),
  });
  const refused = listingError(output);
  if (refused) throw new Error(refused);
  return parseGenerations(output);
}

/** The generation Litestream writes to now: the one with the newest change (a restart can begin a new one). */
export function newestGeneration(generations: Generation[]): Generation | undefined {
  return [...generations].sort((a, b) => b.end.getTime() - a.end.getTime())[0];
}

export function windowOf(generations: Generation[]): ReplicaWindow | null {
  if (generations.length === 0) return null;
  return {
    from: new Date(Math.min(...generations.map((g) => g.start.getTime()))),
    to: new Date(Math.max(...generations.map((g) => g.end.getTime()))),
  };
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

type Problem = Pick<ReplicaStatus, "problem" | "reason">;
const SOUND: Problem = { problem: null, reason: null };

function problemOf(status: Omit<ReplicaStatus, "problem" | "reason">): Problem {
  switch (status.state) {
    case "off":
      return {
        reason: "replica-off",
        problem: "Continuous replication is set up but not running: the app was not started with npm start.",
      };
    case "stopped":
      return {
        reason: "replica-stopped",
        problem:
          "Continuous replication has stopped: new changes stay only on this server until the app is started again with npm start.",
      };
    case "restarting":
      return {
        reason: "replica-restarting",
        problem: "Litestream stopped and is being started again; changes wait on this server meanwhile.",
      };
  }
  if (!status.window) {
    return status.state === "starting"
      ? SOUND
      : { reason: "replica-empty", problem: REPLICA_PROBLEMS["replica-empty"] };
  }
  if (status.lagMs !== null && status.lagMs > status.maxLagMs) {
    return {
      reason: "replica-behind",
      problem: `Changes have waited ${seconds(status.lagMs)} to be copied to the replica (the limit is ${seconds(status.maxLagMs)}).`,
    };
  }
  return SOUND;
}

function mtimeMs(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * When the replica's newest change was shipped, as precisely as the replica keeps it.
 * Litestream's lag is the live file's last write (the newer of the file and its WAL) minus
 * that moment, so the moment is recovered from the same two file times. A file replica keeps
 * milliseconds; S3 keeps whole seconds, so there a write within the second after the last
 * shipped change counts as shipped.
 */
function shippedAt(current: Generation, database: string, settings: ReplicaSettings): { at: number; slackMs: number } {
  const lastWrite = Math.max(mtimeMs(database), mtimeMs(`${database}-wal`));
  if (settings.destination.kind === "file" && lastWrite > 0) return { at: lastWrite - current.lagMs, slackMs: 5 };
  return { at: current.end.getTime(), slackMs: 1000 };
}

/**
 * How long the oldest change not yet in the replica has waited (0 when none waits). Commits
 * land in the live file's WAL; whether the replica has them shows from when it last shipped,
 * not since when they wait, so the wait is measured across calls: the newest commit has waited
 * at least since it was made, and a replica that has not moved since a call that saw something
 * waiting has kept it waiting since that call. (The main file's time is no sign of news: a
 * checkpoint rewrites it with changes already shipped.)
 */
let waiting: { key: string; since: number } | undefined;
function lagOf(
  current: Generation | undefined,
  shipped: { at: number; slackMs: number } | undefined,
  database: string,
  now: number,
): number | null {
  if (!current || !shipped) return null;
  const lastCommit = mtimeMs(`${database}-wal`);
  if (lastCommit <= shipped.at + shipped.slackMs) {
    waiting = undefined;
    return 0;
  }
  const key = `${current.generation}/${current.end.getTime()}`;
  if (waiting?.key !== key) waiting = { key, since: now };
  return Math.max(0, now - lastCommit, now - waiting.since);
}

let cached: { key: string; at: number; status: ReplicaStatus } | undefined;
const CACHE_MS = 5000;

/** The replica's status (cached for a few seconds: it lists the replica); null when replication is not configured. */
export async function replicaStatus({ fresh = false } = {}): Promise<ReplicaStatus | null> {
  const now = Date.now();
  const settings = replicaSettings();
  if (!settings) return null;
  const database = databasePath();
  const supervisor = readReplicatorState();
  // A change of database or of Litestream's process is news at once.
  const key = `${database}|${supervisor?.state}|${supervisor?.pid}`;
  if (!fresh && cached?.key === key && now - cached.at < CACHE_MS) return cached.status;
  let generations: Generation[] = [];
  let listError: string | null = null;
  try {
    generations = await replicaGenerations(settings, database);
  } catch (error) {
    listError = (error as Error).message;
  }
  const current = newestGeneration(generations);
  const shipped = current ? shippedAt(current, database, settings) : undefined;
  const base = {
    destination: describeDestination(settings),
    encrypted: settings.ageRecipients.length > 0,
    state: supervisor?.state ?? ("off" as const),
    restarts: supervisor?.restarts ?? 0,
    lastExit: supervisor?.lastExit ?? null,
    lastShippedAt: shipped ? new Date(shipped.at) : null,
    lagMs: lagOf(current, shipped, database, now),
    maxLagMs: settings.maxLagMs,
    window: windowOf(generations),
  };
  const problem: Problem = listError
    ? { reason: "replica-unreachable", problem: `The replica cannot be read: ${listError}` }
    : problemOf(base);
  const status = { ...base, ...problem };
  cached = { key, at: now, status };
  return status;
}
