// Row counts and file sizes: the figures staff compare after a restore.
import fs from "node:fs";
import { databasePath, dataDir } from "@/lib/config";
import { withSqlite } from "@/lib/db/sqlite";
import { BACKUP_MODELS } from "@/lib/backup/schema-model";

export interface ModelCount {
  name: string;
  label: string;
  rows: number;
}

export function rowCounts(file = databasePath()): ModelCount[] {
  return withSqlite(
    (db) =>
      BACKUP_MODELS.map((m) => ({
        name: m.name,
        label: m.label,
        rows: db.prepare(`SELECT COUNT(*) FROM "${m.table}"`).pluck().get() as number,
      })),
    file,
    { readonly: true },
  );
}

const sizeOf = (file: string) => {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
};

export interface StorageFigures {
  databaseFile: string;
  databaseBytes: number;
  walBytes: number;
  freeDiskBytes: number | null;
  totalDiskBytes: number | null;
}

export function storageFigures(file = databasePath()): StorageFigures {
  let freeDiskBytes: number | null = null;
  let totalDiskBytes: number | null = null;
  try {
    const disk = fs.statfsSync(dataDir());
    freeDiskBytes = disk.bavail * disk.bsize;
    totalDiskBytes = disk.blocks * disk.bsize;
  } catch {
    // statfs is unavailable on some file systems; the panel shows a dash.
  }
  return {
    databaseFile: file,
    databaseBytes: sizeOf(file),
    walBytes: sizeOf(`${file}-wal`),
    freeDiskBytes,
    totalDiskBytes,
  };
}
