// Storage as the lab plans for it: size against MAX_DATABASE_SIZE_MB, per-model bytes
// measured by SQLite, and a restore refused before it starts when the disk cannot hold it.
import fs from "node:fs";

import { afterEach, describe, expect, it } from "vitest";

import { modelStorage, storageFigures, storageLevel } from "@/lib/admin/stats";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { listSafetySnapshots } from "@/lib/backup/snapshot";
import { dataDir } from "@/lib/config";
import { backupLargerThanFreeDisk, exportFile } from "@/tests/support/backup";
import { contentHash, seededDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";

afterEach(() => {
  setEnv({ MAX_DATABASE_SIZE_MB: undefined });
});

describe("storage figures", () => {
  it("grades the database against its planned maximum: warning from 80 %, critical from 95 %", async () => {
    expect([0, 79.9, 80, 94.9, 95, 130].map(storageLevel)).toEqual([
      "ok",
      "ok",
      "warning",
      "warning",
      "critical",
      "critical",
    ]);
    const file = seededDatabase(200);
    const bytes = fs.statSync(file).size;
    setEnv({ MAX_DATABASE_SIZE_MB: String(bytes / 1024 / 1024 / 0.97) });
    expect(await storageFigures(file)).toMatchObject({ level: "critical", databaseBytes: bytes });
    setEnv({ MAX_DATABASE_SIZE_MB: "1024" });
    expect(await storageFigures(file)).toMatchObject({ level: "ok", maxBytes: 1024 * 1024 * 1024 });
  });

  it("measures each model's bytes from SQLite's own pages: tables and indexes, adding up to the file", async () => {
    const file = seededDatabase(500);
    const models = await modelStorage(file);
    const notifications = models.find((m) => m.name === "Notification")!;
    const machines = models.find((m) => m.name === "Machine")!;
    expect(notifications.rows).toBe(1000);
    expect(notifications.bytes).toBeGreaterThan(machines.bytes);
    expect(notifications.bytes % 4096).toBe(0);
    const sum = models.reduce((n, m) => n + m.bytes, 0);
    // The rest of the file is SQLite's own schema, the migrations table and the audit history.
    expect(sum).toBeLessThanOrEqual(fs.statSync(file).size);
    expect(sum).toBeGreaterThan(fs.statSync(file).size * 0.8);
    expect(models.reduce((n, m) => n + m.share, 0)).toBeLessThanOrEqual(100);
  });
});

describe("free disk before a restore", () => {
  it("refuses before it starts, with the figures, when the disk cannot hold the restore; nothing changes", async () => {
    const file = await exportFile(seededDatabase(300, { activate: false, seed: 3 }));
    const target = seededDatabase(100, { seed: 4 });
    const before = contentHash(target);
    // Measured for real: a (sparse) backup twice the size of the free space where the data lives.
    const huge = backupLargerThanFreeDisk(dataDir());
    const result = await restoreBackup({ file: huge, actor: "tester", source: "cli" });
    expect(result).toMatchObject({ ok: false, stage: "validate" });
    if (result.ok) return;
    expect(result.error).toMatch(
      /needs about [\d.]+ [GT]iB of free disk .* only [\d.]+ [KMGT]?i?B is free .* Nothing was changed/,
    );
    expect(contentHash(target)).toBe(before);
    expect(listSafetySnapshots()).toEqual([]);

    const roomy = await restoreBackup({ file, actor: "tester", source: "cli" });
    expect(roomy.ok).toBe(true);
  });
});
