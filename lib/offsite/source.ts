// Backups named by an off-site address (`s3://bucket/prefix/database_backup_….json.gz`) are
// downloaded into the data folder for as long as a check or restore reads them, like the
// temporary plaintext of an encrypted file; `replica:latest` and `replica:<time>` are the
// continuous replica restored to a temporary file as it was at that moment.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";

import { dataDir, s3Connection } from "@/lib/config";
import { parseReplicaSource, withReplicaCopy } from "@/lib/offsite/replica/source";
import type { OffsiteTarget } from "@/lib/offsite/targets/target";

/** `s3://bucket/key` → the bucket and key; null for anything else (a local file). */
export function parseS3Source(source: string): { bucket: string; key: string } | null {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(source);
  return match ? { bucket: match[1]!, key: match[2]! } : null;
}

/** Downloads `key` of `target` to a new file in the data folder (removed by the caller). */
export async function downloadToDataDir(target: OffsiteTarget, key: string): Promise<string> {
  fs.mkdirSync(dataDir(), { recursive: true });
  const suffix = path.posix.basename(key).replace(/^.*?(\.json(\.gz)?(\.age)?)$/, "$1");
  const file = path.join(dataDir(), `offsite-${randomBytes(6).toString("hex")}${suffix}`);
  try {
    await pipeline(await target.read(key), fs.createWriteStream(file));
    return file;
  } catch (error) {
    fs.rmSync(file, { force: true });
    throw error;
  }
}

/** Runs `read` on a local copy of `source` when it is an s3:// address or the replica, else on the file itself. */
export async function withLocalCopy<T>(source: string, read: (file: string) => Promise<T>): Promise<T> {
  const replica = parseReplicaSource(source);
  if (replica) return withReplicaCopy(replica.timestamp, read);
  const s3 = parseS3Source(source);
  if (!s3) return read(source);
  // Loaded only for an s3:// address: the AWS SDK took ~0.4 s of CPU at the start of every
  // `db:restore` and `db:verify` of a local file.
  const { s3Target } = await import("@/lib/offsite/targets/s3");
  const target = s3Target({
    bucket: s3.bucket,
    prefix: path.posix.dirname(s3.key).replace(/^\.$/, ""),
    ...s3Connection(),
  });
  const file = await downloadToDataDir(target, s3.key);
  try {
    return await read(file);
  } finally {
    fs.rmSync(file, { force: true });
  }
}
