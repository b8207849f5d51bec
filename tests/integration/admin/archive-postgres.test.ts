// Archived measurements on their own, on PostgreSQL: the JSON and CSV exports are the same
// text SQLite's are for the same data, and Clear archive writes its copy, deletes, tells the
// owners and records it in the History as on SQLite; a clear the database refuses changes
// nothing and leaves no copy behind.
import fs from "node:fs";
import path from "node:path";

import { expect, it } from "vitest";

import { archiveChunks, archiveCopyByName, clearArchive, listArchiveCopies } from "@/lib/admin/archive";
import { modelStorage } from "@/lib/admin/stats";
import { openPostgres, withPostgres } from "@/lib/db/postgres/connection";
import { prisma } from "@/lib/db/prisma";
import { exportText, records, type BackupDoc } from "@/tests/support/backup";
import { tempDir } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { describeOnPostgres } from "@/tests/support/postgres";
import { seededOnBothEngines } from "@/tests/support/postgres-data";

async function text(format: "json" | "csv", url: string): Promise<string> {
  let out = "";
  for await (const chunk of archiveChunks(format, url)) out += chunk;
  return out;
}

/** The seeded lab on both engines, PostgreSQL's as the app's database with a data folder of its own. */
async function labOnPostgres(scale: number) {
  const both = await seededOnBothEngines(scale);
  setEnv({ DATABASE_URL: both.url, DATA_DIR: path.join(tempDir(), "data") });
  return both;
}

const archiveBytes = async (url: string) =>
  (await modelStorage(url)).find((m) => m.name === "ArchivedMeasurement")!.bytes;

const archivedCount = (url: string) =>
  withPostgres(url, async (db) =>
    Number((await db.query(`SELECT count(*) AS n FROM "calendarEditor_archivedmeasurement"`)).rows[0].n),
  );

describeOnPostgres("archived measurements on PostgreSQL", () => {
  it("exports JSON and CSV with the same text as SQLite does for the same data", async () => {
    const { file, url } = await seededOnBothEngines(300);
    const json = await text("json", url);
    expect(json).toBe(await text("json", file));
    const archive = JSON.parse(json) as unknown[];
    expect(archive).toHaveLength(150);
    expect(archive).toEqual(
      records(JSON.parse(await exportText(url)) as BackupDoc, "calendarEditor.ArchivedMeasurement"),
    );
    const csv = await text("csv", url);
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(151);
    expect(csv).toBe(await text("csv", file));
  });

  it("clears the archive after writing a copy of it, tells each owner once, and records it in the History", async () => {
    const { url } = await labOnPostgres(200);
    const before = await text("json", url);
    const owners = await prisma().archivedMeasurement.groupBy({ by: ["userId"] });
    const bytes = await archiveBytes(url);
    const outcome = await clearArchive({ actor: "admin", silent: false });
    expect(outcome).toMatchObject({ removed: 100, notified: owners.length });
    expect(await archivedCount(url)).toBe(0);
    // Its space is given back (the table's pages; its indexes keep theirs for reuse).
    expect(await archiveBytes(url)).toBeLessThan(bytes);
    const copy = archiveCopyByName(outcome.copy)!;
    expect(fs.readFileSync(copy, "utf8")).toBe(before);
    expect(listArchiveCopies().map((c) => c.name)).toEqual([outcome.copy]);
    const notices = await prisma().notification.findMany({ where: { title: "Archived measurements cleared" } });
    expect(notices.map((n) => n.recipientId).sort()).toEqual(owners.map((o) => o.userId).sort());
    expect(notices.every((n) => !n.isRead && n.message.startsWith("admin cleared the archive"))).toBe(true);
    const history = await prisma().backupEvent.findFirstOrThrow({ where: { kind: "clear-archive" } });
    expect(history).toMatchObject({ result: "ok", bytes: fs.statSync(copy).size });
  });

  it("waits for a writer already adding to the archive, and copies and deletes what it added", async () => {
    const { url } = await labOnPostgres(100);
    const writer = await openPostgres(url);
    try {
      await writer.query("BEGIN");
      await writer.query(
        `INSERT INTO "calendarEditor_archivedmeasurement" (user_id, title, updated_at)
         SELECT min(id), 'Archived while clearing', now() FROM auth_user`,
      );
      const clearing = clearArchive({ actor: "admin", silent: true });
      // The clear waits for the writer's transaction before it reads its copy.
      await expect
        .poll(() =>
          withPostgres(url, async (db) =>
            Number(
              (
                await db.query(
                  `SELECT count(*) AS n FROM pg_locks
                    WHERE NOT granted AND relation = '"calendarEditor_archivedmeasurement"'::regclass`,
                )
              ).rows[0].n,
            ),
          ),
        )
        .toBe(1);
      await writer.query("COMMIT");
      const outcome = await clearing;
      expect(outcome.removed).toBe(51);
      const copy = JSON.parse(fs.readFileSync(archiveCopyByName(outcome.copy)!, "utf8")) as {
        fields: { title: string };
      }[];
      expect(copy).toHaveLength(51);
      expect(copy.map((r) => r.fields.title)).toContain("Archived while clearing");
      expect(await archivedCount(url)).toBe(0);
    } finally {
      await writer.end();
    }
  });

  it("changes nothing and leaves no copy when the database refuses part of the clear", async () => {
    const { url } = await labOnPostgres(100);
    // The server refuses the owners' notices, after the copy was written and the rows deleted.
    await withPostgres(url, (db) =>
      db.query(`
        CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'notices refused'; END $$;
        CREATE TRIGGER test_refuse BEFORE INSERT ON "calendarEditor_notification" FOR EACH ROW EXECUTE FUNCTION test_refuse();`),
    );
    const notices = await prisma().notification.count();
    await expect(clearArchive({ actor: "admin", silent: false })).rejects.toThrow("notices refused");
    expect(await archivedCount(url)).toBe(50);
    expect(await prisma().notification.count()).toBe(notices);
    expect(listArchiveCopies()).toEqual([]);
    expect(await prisma().backupEvent.count({ where: { kind: "clear-archive" } })).toBe(0);
  });
});
