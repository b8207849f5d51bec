// File sizes, free disk and per-model storage: the figures Manage Storage shows, read through
// the engine seam. Sizes per model are measured by the database itself (SQLite's dbstat pages,
// PostgreSQL's relation sizes: each table with its indexes), not estimated from row counts.
import fs from "node:fs";

import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { freeDiskBytes } from "@/lib/backup/restore/disk-space";
import { databaseUrl, dataDir, maxDatabaseBytes } from "@/lib/config";
import { readEngine, type DatabaseEngine } from "@/lib/db/engine";

export type StorageLevel = "ok" | "warning" | "critical";

export interface StorageFigures {
  /** Which kind of database: what applies to it (a file snapshot, the replica) differs. */
  engine: DatabaseEngine;
  /** The SQLite file's path, or the PostgreSQL database's URL without credentials. */
  databaseFile: string;
  databaseBytes: number;
  /** SQLite's write-ahead log; 0 on PostgreSQL, whose log is the server's own. */
  walBytes: number;
  freeDiskBytes: number | null;
  totalDiskBytes: number | null;
  /** MAX_DATABASE_SIZE_MB in bytes, and how much of it the database and its log use. */
  maxBytes: number;
  percentUsed: number;
  level: StorageLevel;
}

const WARNING_PERCENT = 80;
const CRITICAL_PERCENT = 95;

export function storageLevel(percent: number): StorageLevel {
  return percent >= CRITICAL_PERCENT ? "critical" : percent >= WARNING_PERCENT ? "warning" : "ok";
}

export async function storageFigures(url = databaseUrl()): Promise<StorageFigures> {
  const engine = readEngine(url);
  const size = await engine.size();
  let totalDiskBytes: number | null = null;
  try {
    // The disk our own files (exports, snapshots, uploads) go to; for SQLite the database's too.
    const disk = fs.statfsSync(fs.existsSync(dataDir()) ? dataDir() : process.cwd());
    totalDiskBytes = disk.blocks * disk.bsize;
  } catch {
    // statfs is unavailable on some file systems; the panel shows a dash.
  }
  const maxBytes = maxDatabaseBytes();
  const percentUsed = ((size.bytes + size.logBytes) / maxBytes) * 100;
  return {
    engine: engine.kind,
    databaseFile: size.location,
    databaseBytes: size.bytes,
    walBytes: size.logBytes,
    freeDiskBytes: freeDiskBytes(dataDir()),
    totalDiskBytes,
    maxBytes,
    percentUsed,
    level: storageLevel(percentUsed),
  };
}

export interface ModelStorage {
  name: string;
  label: string;
  rows: number;
  /** Bytes of the model's table, its indexes and its many-to-many tables, as the database stores them. */
  bytes: number;
  /** Share of all the database's tables, 0–100. */
  share: number;
}

/** Rows and measured bytes per model, in the schema's order. */
export async function modelStorage(url = databaseUrl()): Promise<ModelStorage[]> {
  const engine = readEngine(url);
  const tables = BACKUP_MODELS.flatMap((m) => [m.table, ...m.manyToMany.map((rel) => rel.table)]);
  const [{ byTable, total }, rows] = await Promise.all([
    engine.tableBytes(tables),
    engine.counts(BACKUP_MODELS.map((m) => m.table)),
  ]);
  return BACKUP_MODELS.map((m) => {
    const bytes = [m.table, ...m.manyToMany.map((rel) => rel.table)].reduce((n, t) => n + (byTable[t] ?? 0), 0);
    return {
      name: m.name,
      label: m.label,
      rows: rows[m.table] ?? 0,
      bytes,
      share: total > 0 ? (bytes / total) * 100 : 0,
    };
  });
}
