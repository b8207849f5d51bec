// Where a restore reads from: a JSON backup, the same gzipped, or a SQLite snapshot.
// All three are turned into the same stream of scanner events, so validation and
// loading are one pipeline whatever the source.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createGunzip } from "node:zlib";

import { recordBuilder, recordPages } from "@/lib/backup/export/sqlite-records";
import { FORMAT_VERSION } from "@/lib/backup/format/format";
import { BackupScanError, BackupScanner, type ScanHandler } from "@/lib/backup/format/json-scanner";
import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { sqliteMadeAt } from "@/lib/backup/snapshot-info";
import { APP_NAME } from "@/lib/config";
import { appliedSchemaVersion, knownMigrations } from "@/lib/db/migrate";
import { openSqlite, type Sqlite } from "@/lib/db/sqlite";

export type SourceKind = "json" | "json.gz" | "sqlite";

/** The member a SQLite source adds to say how its export_date was found (snapshot-info.ts). */
export const SQLITE_MADE_FROM = "sqlite_made_from";

const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");

export function detectKind(file: string): SourceKind {
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, "r");
  try {
    const n = fs.readSync(fd, head, 0, 16, 0);
    if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "json.gz";
    if (n === 16 && head.equals(SQLITE_MAGIC)) return "sqlite";
    return "json";
  } finally {
    fs.closeSync(fd);
  }
}

export interface ReadProgress {
  /** 0–1 of the source file read so far. */
  fraction: number;
}

export interface ReadOptions {
  onProgress?: (p: ReadProgress) => void;
  /**
   * Awaited after each chunk of the file is handed on: a restore whose database takes the
   * records asynchronously (PostgreSQL's COPY) holds the reading back until it has caught up.
   */
  afterChunk?: () => Promise<void>;
}

/**
 * Feeds every part of the backup in `file` (of `kind`, from detectKind) to `handler`; returns
 * the SHA-256 of the file's bytes; throws BackupScanError on unreadable input.
 */
export async function readBackup(
  file: string,
  kind: SourceKind,
  handler: ScanHandler,
  options: ReadOptions = {},
): Promise<string> {
  if (kind === "sqlite") {
    readSqliteSnapshot(file, handler);
    return fileSha256(file);
  }
  return readJson(file, kind, handler, options);
}

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Feeds the JSON to the scanner; returns the SHA-256 of the file's bytes as stored, hashed on the way. */
async function readJson(file: string, kind: SourceKind, handler: ScanHandler, options: ReadOptions): Promise<string> {
  const total = fs.statSync(file).size;
  const raw = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  let rawBytes = 0;
  const hash = createHash("sha256");
  raw.on("data", (chunk) => {
    rawBytes += chunk.length;
    hash.update(chunk as Buffer);
  });
  const stream = kind === "json.gz" ? raw.pipe(createGunzip()) : raw;
  const scanner = new BackupScanner(handler);
  let lastReport = 0;
  try {
    for await (const chunk of stream) {
      scanner.push(chunk as Buffer);
      if (options.afterChunk) await options.afterChunk();
      if (options.onProgress && rawBytes - lastReport > 4 * 1024 * 1024) {
        lastReport = rawBytes;
        options.onProgress({ fraction: total > 0 ? rawBytes / total : 1 });
      }
    }
  } catch (error) {
    if (error instanceof BackupScanError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "Z_BUF_ERROR" || code === "Z_DATA_ERROR") {
      throw new BackupScanError("The gzip file is damaged or cut short.");
    }
    throw error;
  } finally {
    raw.destroy();
  }
  scanner.end();
  options.onProgress?.({ fraction: 1 });
  return hash.digest("hex");
}

/** Refuses a SQLite file that is damaged, another app's, or at a schema this app cannot load; returns its version. */
function checkSnapshot(db: Sqlite): string {
  const integrity = db.pragma("integrity_check") as { integrity_check: string }[];
  if (integrity.length !== 1 || integrity[0]!.integrity_check !== "ok") {
    const found = integrity
      .slice(0, 3)
      .map((r) => r.integrity_check)
      .join("; ");
    throw new BackupScanError(`The SQLite file is damaged: ${found}`);
  }
  const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  const missing = BACKUP_MODELS.flatMap((m) => [m.table, ...m.manyToMany.map((r) => r.table)]).filter(
    (t) => !tables.has(t),
  );
  if (missing.length > 0) {
    throw new BackupScanError(
      `This SQLite file is not a snapshot of this app: it lacks the tables ${missing.join(", ")}.`,
    );
  }
  const version = appliedSchemaVersion(db);
  if (!version || !knownMigrations().includes(version)) {
    throw new BackupScanError(
      `The SQLite snapshot is at schema version ${version ?? "(none)"}, which this app does not know. ` +
        "Restore it with the app version that made it.",
    );
  }
  if (version !== knownMigrations().at(-1)) {
    throw new BackupScanError(
      `The SQLite snapshot is at an older schema version (${version}). Export it as JSON with that version, or migrate it first.`,
    );
  }
  return version;
}

/** Checks that a SQLite file is a sound snapshot of this app's database, then reads it. */
function readSqliteSnapshot(file: string, handler: ScanHandler): void {
  let db: Sqlite;
  try {
    db = openSqlite(file, { readonly: true, mustExist: true });
  } catch (error) {
    throw new BackupScanError(`The SQLite file cannot be opened: ${(error as Error).message}`);
  }
  try {
    let version: string;
    try {
      version = checkSnapshot(db);
    } catch (error) {
      // A damaged file can make any statement fail ("database disk image is malformed").
      if (error instanceof BackupScanError) throw error;
      throw new BackupScanError(`The SQLite file is damaged: ${(error as Error).message}.`);
    }
    // When its data was made, from the file's content: its mtime is when it was copied or uploaded.
    const made = sqliteMadeAt(db);
    if (made) {
      handler.member("export_date", made.at);
      handler.member(SQLITE_MADE_FROM, made.from);
    }
    handler.member("format_version", FORMAT_VERSION);
    handler.member("app", { name: APP_NAME, version: "sqlite snapshot" });
    handler.member("schema_version", version);
    db.exec("BEGIN");
    for (const model of BACKUP_MODELS) {
      const build = recordBuilder(model);
      handler.modelStart(model.label);
      for (const { rows, links } of recordPages(db, model)) {
        rows.forEach((row, i) => handler.record(model.label, build(row, links[i]!), EMPTY));
      }
      handler.modelEnd(model.label);
    }
    db.exec("COMMIT");
  } finally {
    db.close();
  }
}

const EMPTY = new Uint8Array(0);
