// The free-disk check at its boundary. No real disk can be made to hold exactly so many free
// bytes, so this file swaps the measuring module for one that answers a chosen figure; every
// other test measures the real disk (restore-stops, storage: a sparse backup larger than it).
import fs from "node:fs";

import { describe, expect, it, vi } from "vitest";

import { freeDiskBytes, restoreDiskNeed } from "@/lib/backup/restore/disk-space";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { exportText, writeTemp } from "@/tests/support/backup";
import { seededDatabase } from "@/tests/support/db";

vi.mock("@/lib/backup/restore/disk-space", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/backup/restore/disk-space")>();
  return { ...real, freeDiskBytes: vi.fn(real.freeDiskBytes) };
});

describe("free disk before a restore, at the boundary", () => {
  it("goes ahead with exactly the free disk it needs, and refuses one byte less", async () => {
    const file = writeTemp(await exportText(seededDatabase(20, { activate: false })));
    const target = seededDatabase(20, { seed: 2 });
    const needed = restoreDiskNeed("json", fs.statSync(file).size, fs.statSync(target).size);
    const restore = () => restoreBackup({ file, actor: "tester", source: "cli", silent: true });

    vi.mocked(freeDiskBytes).mockReturnValue(needed - 1);
    expect(await restore()).toMatchObject({ ok: false, stage: "validate", error: expect.stringMatching(/free disk/) });
    vi.mocked(freeDiskBytes).mockReturnValue(needed);
    expect(await restore()).toMatchObject({ ok: true });
  });
});
