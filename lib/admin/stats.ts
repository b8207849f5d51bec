// File sizes and free disk: the storage figures Manage Storage shows.
import fs from "node:fs";

import { databasePath, dataDir } from "@/lib/config";

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
