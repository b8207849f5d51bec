// How much free disk a restore asks for, and where it measures it.
import fs from "node:fs";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { freeDiskBytes, restoreDiskNeed } from "@/lib/backup/restore/disk-space";

const free = (folder: string) => {
  const disk = fs.statfsSync(folder);
  return disk.bavail * disk.bsize;
};

describe("the free disk a restore needs", () => {
  it("is a snapshot of the database now, the restored data once in the log, and the database's growth", () => {
    // A JSON file is larger than the database it makes, a gzipped one much smaller, a snapshot the same.
    expect(restoreDiskNeed("json", 1_000, 500)).toBe(500 + 750 + 250);
    expect(restoreDiskNeed("json.gz", 1_000, 500)).toBe(500 + 6_000 + 5_500);
    expect(restoreDiskNeed("sqlite", 1_000, 0)).toBe(2 * 1_000);
    // A smaller backup than the database: the file does not grow.
    expect(restoreDiskNeed("sqlite", 1_000, 5_000)).toBe(5_000 + 1_000);
    expect(restoreDiskNeed("json", 3, 0)).toBe(2 * 3); // 2.25 bytes round up
  });
});

describe("measuring free disk", () => {
  // tmpfs: a disk of its own, with other free space than the root's, so measuring the wrong
  // folder shows. (Its free space may move a little while other tests run.)
  const shm = fs.existsSync("/dev/shm") ? fs.mkdtempSync("/dev/shm/labq-disk-") : null;
  afterAll(() => shm && fs.rmSync(shm, { recursive: true, force: true }));

  it.runIf(shm && Math.abs(free("/dev/shm") - free("/")) > 1 << 30)(
    "of a folder not made yet, on the disk its nearest existing parent is on",
    () => {
      const measured = freeDiskBytes(path.join(shm!, "data", "not", "yet"));
      expect(measured).not.toBeNull();
      expect(Math.abs(measured! - free(shm!))).toBeLessThan(64 * 1024 * 1024);
    },
  );

  it("of an existing folder, as the disk reports it", () => {
    const measured = freeDiskBytes(process.cwd());
    expect(Math.abs(measured! - free(process.cwd()))).toBeLessThan(64 * 1024 * 1024);
  });
});
