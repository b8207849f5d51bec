// `replica:latest` and `replica:<ISO-8601 time>`: the replica restored as it was at that moment
// into a temporary file, which then goes through the same check, dry run and one-transaction
// restore as any SQLite snapshot. Its made-time is the chosen second (the newest shipped
// change for `latest`). The live file is never swapped, so replication goes on and the
// restore itself is replicated.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { recordSnapshotInfo } from "@/lib/backup/snapshot-info";
import { databasePath, dataDir, replicaSettings } from "@/lib/config";
import { writeLitestreamConfig } from "@/lib/offsite/replica/config-file";
import { ReplicaRestoreError, restoreReplicaTo } from "@/lib/offsite/replica/restore";
import { replicaGenerations, windowOf } from "@/lib/offsite/replica/status";

const PREFIX = "replica:";

/** A replica source: `latest` (timestamp undefined) or a moment; null when `source` is not one. */
export function parseReplicaSource(source: string): { timestamp?: Date } | null {
  if (!source.startsWith(PREFIX)) return null;
  const when = source.slice(PREFIX.length).trim();
  if (when === "latest") return {};
  // Without a zone, a time is UTC (the server's clock is no guide to what the operator meant).
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(when) ? when : `${when}Z`;
  const timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(when) ? new Date(withZone) : new Date(NaN);
  if (Number.isNaN(timestamp.getTime())) {
    throw new ReplicaRestoreError(
      `"${source}" names no moment: use replica:latest or replica:2026-12-05T09:30:00Z (ISO 8601; UTC without a zone).`,
    );
  }
  return { timestamp };
}

/** Restores the replica at `timestamp` (or its newest change) to a new file in the data folder; the caller removes it. */
export async function replicaCopy(timestamp: Date | undefined): Promise<string> {
  const settings = replicaSettings();
  if (!settings) throw new ReplicaRestoreError("No replica is configured (BACKUP_REPLICA_URL).");
  const database = databasePath();
  const configFile = writeLitestreamConfig(database, settings);
  const dir = path.join(dataDir(), "tmp");
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `replica_${randomBytes(6).toString("hex")}.sqlite3`);
  await restoreReplicaTo(out, { database, configFile, settings, timestamp });
  const madeAt = timestamp ?? windowOf(await replicaGenerations(settings, database))?.to ?? new Date();
  // The copy is the data as it was at that moment: recorded inside, where a SQLite file's made-time is read.
  recordSnapshotInfo(out, { takenAt: madeAt.toISOString() });
  return out;
}

/** Runs `read` on the replica's copy at `timestamp` (its newest change when undefined), then removes the copy. */
export async function withReplicaCopy<T>(timestamp: Date | undefined, read: (file: string) => Promise<T>): Promise<T> {
  const file = await replicaCopy(timestamp);
  try {
    return await read(file);
  } finally {
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true });
  }
}
