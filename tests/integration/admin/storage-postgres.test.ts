// Manage Storage's figures on PostgreSQL: rows and the space each entity takes as the server
// measures it, the database's size, and where it is without any credentials in the URL.
import { expect, it } from "vitest";

import { modelStorage, storageFigures } from "@/lib/admin/stats";
import { databaseCounts } from "@/lib/backup/row-counts";
import { tableCounts } from "@/tests/support/db";
import { describeOnPostgres } from "@/tests/support/postgres";
import { seededOnBothEngines } from "@/tests/support/postgres-data";

describeOnPostgres("storage figures on PostgreSQL", () => {
  it("counts each entity's rows as SQLite does for the same data, and measures its space on the server", async () => {
    const { file, url } = await seededOnBothEngines(200);
    const counts = Object.fromEntries((await databaseCounts(url)).map((c) => [c.label, c.rows]));
    expect(counts).toEqual(tableCounts(file));

    const models = await modelStorage(url);
    expect(models.map((m) => m.rows)).toEqual(Object.values(counts));
    const notifications = models.find((m) => m.name === "Notification")!;
    const machines = models.find((m) => m.name === "Machine")!;
    // Relation sizes come in whole 8 KiB pages; more rows take more of them.
    expect(notifications.bytes % 8192).toBe(0);
    expect(notifications.bytes).toBeGreaterThan(machines.bytes);
    const shares = models.reduce((n, m) => n + m.share, 0);
    expect(shares).toBeGreaterThan(50);
    expect(shares).toBeLessThanOrEqual(100);
  });

  it("gives the database's size, no log of its own, and its address without the password", async () => {
    const { url } = await seededOnBothEngines(20);
    const withPassword = new URL(url);
    withPassword.password = "not-for-the-page";
    const storage = await storageFigures(withPassword.toString());
    expect(storage).toMatchObject({ engine: "postgresql", walBytes: 0 });
    expect(storage.databaseBytes).toBeGreaterThan(1024 * 1024);
    expect(storage.databaseFile).toContain(new URL(url).pathname);
    expect(storage.databaseFile).not.toContain("not-for-the-page");
  });
});
