// Restores from the replica with `litestream restore`: the live file when it is missing (a
// new instance on an empty disk), or a separate file for a check or a point-in-time restore.
import { spawn } from "node:child_process";
import fs from "node:fs";

import type { ReplicaSettings } from "@/lib/config";
import { litestreamBinary } from "@/lib/offsite/replica/binary";
import { litestreamEnvironment } from "@/lib/offsite/replica/config-file";

export class ReplicaRestoreError extends Error {}

/**
 * Runs litestream with `args`; resolves with its output, rejects with its last line. With
 * `timeoutMs`, a Litestream that has not finished by then (a store that accepts the connection
 * and never answers) is killed and the call rejects saying so.
 */
export function runLitestream(args: string[], settings: ReplicaSettings, { timeoutMs = 0 } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(litestreamBinary(), args, {
      env: litestreamEnvironment(settings),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            proc.kill("SIGKILL");
          }, timeoutMs)
        : undefined;
    proc.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    proc.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    proc.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    proc.once("close", (code) => {
      clearTimeout(timer);
      if (timedOut)
        reject(new ReplicaRestoreError(`the replica's store did not answer within ${Math.round(timeoutMs / 1000)} s`));
      else if (code === 0) resolve(output);
      else reject(new ReplicaRestoreError(lastMessage(output) || `litestream ${args[0]} exited with code ${code}`));
    });
  });
}

/**
 * A Litestream log record in words: `time=… level=ERROR msg="failed to run" error="…"` gives
 * "failed to run: …" (quotes and escapes undone); a line that is not a record, as it is.
 */
export function recordInWords(line: string): string {
  const message = /\bmsg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? /\bmsg=(\S+)/.exec(line)?.[1];
  if (message === undefined) return line;
  const error = /\berror="((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? /\berror=(\S+)/.exec(line)?.[1];
  const unquote = (text: string) => text.replace(/\\n/g, " ").replace(/\\(.)/g, "$1");
  return error ? `${unquote(message)}: ${unquote(error)}` : unquote(message);
}

/** Litestream's last line of output, in words (recordInWords). */
function lastMessage(output: string): string {
  return recordInWords(output.trim().split("\n").at(-1) ?? "");
}

/**
 * Litestream 0.3.13 restores into `<file>.tmp`, opened as a WAL database, and renames it to
 * `<file>` when done, leaving that temporary file's `-wal` and `-shm` (32 KB) beside it every time.
 */
const TEMPORARY_SUFFIXES = [".tmp", ".tmp-wal", ".tmp-shm"];

function removeFiles(file: string, suffixes: string[]): void {
  for (const suffix of suffixes) fs.rmSync(`${file}${suffix}`, { force: true });
}

/**
 * Restores `database` from the replica when the file does not exist and the replica has
 * data; true when it did. (A no-op in ~0.2 s otherwise.)
 */
export async function restoreIfMissing(
  database: string,
  configFile: string,
  settings: ReplicaSettings,
): Promise<boolean> {
  if (fs.existsSync(database)) return false;
  try {
    await runLitestream(
      ["restore", "-config", configFile, "-if-db-not-exists", "-if-replica-exists", database],
      settings,
    );
  } finally {
    removeFiles(database, TEMPORARY_SUFFIXES);
  }
  return fs.existsSync(database);
}

const NO_IDENTITY =
  "The replica is encrypted and cannot be opened: set BACKUP_AGE_IDENTITY to the private key of BACKUP_ENCRYPT_TO.";

/** Why a point-in-time restore found nothing, in the operator's words. */
function explain(error: unknown, timestamp: Date | undefined): Error {
  const message = (error as Error).message;
  if (/no matching backups|no generations|no snapshots/i.test(message)) {
    return new ReplicaRestoreError(
      timestamp
        ? `The replica holds nothing at ${timestamp.toISOString()}: that is before its oldest or after its newest change.`
        : "The replica holds no data yet.",
    );
  }
  // Litestream's words for a wrong or missing identity ("no identity matched any of the
  // recipients", "no secret keys found"); not a bare "age", which "storage", "message" or a
  // folder's name holds as well.
  if (/\bidentit(y|ies)\b|no secret keys|decrypt/i.test(message)) {
    return new ReplicaRestoreError(NO_IDENTITY);
  }
  return new ReplicaRestoreError(`Litestream could not restore the replica: ${message}`);
}

/**
 * Restores the replica of `database` as it was at `timestamp` (the newest change when
 * undefined) into the new file `out`.
 */
export async function restoreReplicaTo(
  out: string,
  options: { database: string; configFile: string; settings: ReplicaSettings; timestamp?: Date },
): Promise<void> {
  const { database, configFile, settings, timestamp } = options;
  if (settings.ageRecipients.length > 0 && !settings.ageIdentity) throw new ReplicaRestoreError(NO_IDENTITY);
  const args = ["restore", "-config", configFile, "-o", out];
  if (timestamp) args.push("-timestamp", timestamp.toISOString());
  try {
    await runLitestream([...args, database], settings);
  } catch (error) {
    removeFiles(out, ["", "-wal", "-shm"]);
    throw explain(error, timestamp);
  } finally {
    removeFiles(out, TEMPORARY_SUFFIXES);
  }
}
