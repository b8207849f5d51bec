// An off-site target: a place that keeps backups away from the server's disk. Every target
// knows the same few things about a backup (name, size, date, SHA-256) and can list, read,
// and (when it is writable) write and delete them.
import type { Readable } from "node:stream";

export type TargetKind = "s3" | "github";

export interface OffsiteBackup {
  target: TargetKind;
  /** The object key or path inside the target (with its prefix). */
  key: string;
  /** The file name: database_backup_<stamp>.json[.gz][.age]. */
  name: string;
  bytes: number;
  /** When the backup was made, from its name. */
  date: Date;
  /** SHA-256 of the stored bytes, when the target recorded it. */
  sha256: string | null;
  /** The backup was verified (complete, digest matching) before it was stored. */
  verified: boolean;
}

export interface OffsiteTarget {
  kind: TargetKind;
  /** Where, in words: `s3://lab-backups/queue` or `github.com/lab/queue (database-backups)`. */
  label: string;
  writable: boolean;
  /** Every backup, newest first. Only complete backups: nothing half-written is listed. */
  list(): Promise<OffsiteBackup[]>;
  read(key: string): Promise<Readable>;
  write(name: string, file: string, sha256: string, verified: boolean): Promise<OffsiteBackup>;
  remove(key: string): Promise<void>;
  /** The SHA-256 recorded when the backup was stored (beside it, or in its metadata); null when none was. */
  recordedSha256(key: string): Promise<string | null>;
}

export class TargetError extends Error {
  constructor(
    message: string,
    /** The target answered that there is no such backup (deleted since it was listed, say). */
    readonly missing = false,
  ) {
    super(message);
  }
}

/** `promise`, or a TargetError saying `label` is not answering once `ms` have passed. */
export async function answerWithin<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new TargetError(`${label} is not answering (no reply in ${Math.round(ms / 1000)} s). Try again later.`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const BACKUP_NAME = /^database_backup_(\d{4}-\d{2}-\d{2})_(\d{2})-(\d{2})-(\d{2})\.json(\.gz)?(\.age)?$/;

/** The date a backup's name carries, or null when the name is not a dated backup's. */
export function backupNameDate(name: string): Date | null {
  const match = BACKUP_NAME.exec(name);
  if (!match) return null;
  const date = new Date(`${match[1]}T${match[2]}:${match[3]}:${match[4]}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function newestFirst(a: OffsiteBackup, b: OffsiteBackup): number {
  return b.date.getTime() - a.date.getTime() || b.name.localeCompare(a.name);
}
