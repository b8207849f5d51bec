// A merge into PostgreSQL (DATABASE_URL=postgresql://…) through the engine seam: the original
// app's real backups merged into the same seeded lab on both engines give the same figures,
// every merged record's people, machines and links the file's (judged by the merge oracle,
// tests/support/merge-oracle.ts), the id counters past the new ids; merging the same file twice
// adds nothing; a merge PostgreSQL refuses part-way, or a file that does not pass, leaves the
// database exactly as it was; and the CLI's merge dry run reads PostgreSQL without changing it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { expect, it } from "vitest";

import { restoreBackup, type ModelOutcome } from "@/lib/backup/restore/restore";
import { snapshotsDir } from "@/lib/backup/snapshot";
import { prisma } from "@/lib/db/prisma";
import { exportFile, exportText, mutated, records, writeTemp, type BackupDoc } from "@/tests/support/backup";
import { seededDatabase, tempDir } from "@/tests/support/db";
import { readDoc, REAL_BACKUPS } from "@/tests/support/django";
import { setEnv } from "@/tests/support/env";
import { judgeMerge } from "@/tests/support/merge-oracle";
import { loadModels, modelsOf as recordsOf } from "@/tests/support/overlapping";
import { describeOnPostgres, freshPostgresDatabase } from "@/tests/support/postgres";
import { postgresContent } from "@/tests/support/postgres-content";
import { copySqliteToPostgres } from "@/tests/support/postgres-data";

const SCALE = 300;

const merge = (file: string) => restoreBackup({ file, actor: "tester", source: "cli", merge: true, silent: true });

const modelsOf = async (database: string) => (JSON.parse(await exportText(database)) as BackupDoc).models;

/** The seeded lab (scale, seed) in a PostgreSQL database made the app's DATABASE_URL, with a data folder of its own. */
async function postgresLab(seed: number): Promise<string> {
  const url = await freshPostgresDatabase({ activate: false });
  await copySqliteToPostgres(seededDatabase(SCALE, { activate: false, seed }), url);
  setEnv({ DATABASE_URL: url, DATA_DIR: path.join(tempDir(), "data") });
  return url;
}

/** The same lab as a SQLite file made the app's database. */
function sqliteLab(seed: number): string {
  const file = seededDatabase(SCALE, { activate: true, seed });
  setEnv({ DATA_DIR: path.join(tempDir(), "data") });
  return file;
}

/** The file's records as the exporter writes them (what the oracle compares with). */
async function exportedForm(file: string): Promise<BackupDoc["models"]> {
  return readDoc(await exportFile(loadModels(recordsOf(readDoc(file))))).models;
}

const figures = (models: ModelOutcome[]) =>
  models.map(({ label, before, inBackup, after, added, conflicts, present, linked }) => ({
    label,
    before,
    inBackup,
    after,
    added,
    conflicts,
    present,
    linked,
  }));

function restoreCli(url: string, args: string[]) {
  const result = spawnSync("node", ["scripts/cli.mjs", "restore", ...args], {
    env: { ...process.env, DATABASE_URL: url, DATA_DIR: path.join(tempDir(), "cli-data"), USER: "operator" },
    encoding: "utf8",
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}`, stdout: result.stdout };
}

describeOnPostgres("merging into PostgreSQL", () => {
  for (const [name, file] of Object.entries(REAL_BACKUPS)) {
    it(`merges the original app's ${name} backup as SQLite does: the same figures, every reference the file's`, async () => {
      const fileModels = await exportedForm(file);

      const sqlite = sqliteLab(21);
      const sqliteBefore = await modelsOf(sqlite);
      const onSqlite = await merge(file);
      expect(onSqlite.ok, JSON.stringify(onSqlite).slice(0, 600)).toBe(true);
      if (!onSqlite.ok) return;

      const url = await postgresLab(21);
      const before = await modelsOf(url);
      expect(before).toEqual(sqliteBefore);
      const result = await merge(file);
      expect(result.ok, JSON.stringify(result).slice(0, 600)).toBe(true);
      if (!result.ok) return;
      expect(figures(result.models)).toEqual(figures(onSqlite.models));
      const conflicts = result.models.reduce((n, m) => n + (m.conflicts ?? 0), 0);
      expect(conflicts).toBeGreaterThan(0);

      const after = await modelsOf(url);
      const verdict = judgeMerge(before, fileModels, after);
      expect(verdict.violations.slice(0, 10)).toEqual([]);
      for (const m of result.models) {
        expect((m.added ?? 0) + (m.conflicts ?? 0), m.label).toBe(verdict.added[m.label]);
        expect(m.present, m.label).toBe(verdict.present[m.label]);
        expect(m.after, m.label).toBe(m.before + (m.added ?? 0) + (m.conflicts ?? 0));
      }
      // Record for record what SQLite holds after the same merge.
      expect(after).toEqual(await modelsOf(sqlite));

      // The id counters are past the new ids: the app's next machine gets the next one.
      const highest = Math.max(...records({ models: after } as BackupDoc, "calendarEditor.Machine").map((r) => r.pk));
      const machine = await prisma().machine.create({
        data: { name: "after the merge", minTemp: 1, maxTemp: 2, cooldownHours: 1 },
      });
      expect(machine.id).toBe(highest + 1);
      await prisma().machine.delete({ where: { id: machine.id } });

      // Merging the same file again adds nothing.
      const merged = await postgresContent(url);
      const again = await merge(file);
      expect(again.ok, JSON.stringify(again).slice(0, 600)).toBe(true);
      if (again.ok) expect(again.models.every((m) => m.added === 0 && m.conflicts === 0)).toBe(true);
      expect(await postgresContent(url)).toBe(merged);
    }, 180_000);
  }

  it("gives a record under a new id one the id counter never gave out: not the id of a row deleted since", async () => {
    await postgresLab(25);
    // The newest machine is deleted: its id was given out, and a new machine must not get it.
    const gone = await prisma().machine.create({ data: { name: "gone", minTemp: 1, maxTemp: 2, cooldownHours: 1 } });
    await prisma().machine.delete({ where: { id: gone.id } });
    const names = new Set((await prisma().machine.findMany()).map((m) => m.name));
    const result = await merge(REAL_BACKUPS.may);
    expect(result.ok, JSON.stringify(result).slice(0, 600)).toBe(true);
    const added = (await prisma().machine.findMany({ orderBy: { id: "asc" } })).filter((m) => !names.has(m.name));
    expect(added.length).toBe(records(readDoc(REAL_BACKUPS.may), "calendarEditor.Machine").length);
    expect(added[0]!.id).toBe(gone.id + 1);
  });

  it("rolls back, changing nothing, when PostgreSQL refuses a record part-way through the merge", async () => {
    const url = await postgresLab(22);
    const before = await postgresContent(url);
    // PostgreSQL's text cannot hold a NUL character; the file's checks let it through.
    const file = writeTemp(
      mutated(fs.readFileSync(REAL_BACKUPS.may, "utf8"), (doc) => {
        const notices = records(doc, "calendarEditor.Notification");
        notices[notices.length - 1]!.fields.message = "half\u0000way";
      }),
    );
    const result = await merge(file);
    expect(result).toMatchObject({ ok: false, stage: "load" });
    if (result.ok) return;
    expect(result.error).toMatch(/rolled back .*0x00.*exactly as it was/);
    expect(await postgresContent(url)).toBe(before);
    expect(fs.readdirSync(snapshotsDir())).toEqual([]);
  });

  it("refuses, changing nothing, a file with a reference to a row in neither the file nor the database", async () => {
    const url = await postgresLab(23);
    const before = await postgresContent(url);
    const file = writeTemp(
      mutated(fs.readFileSync(REAL_BACKUPS.february, "utf8"), (doc) => {
        records(doc, "calendarEditor.QueueEntry")[0]!.fields.user = 99999;
      }),
    );
    const result = await merge(file);
    expect(result).toMatchObject({ ok: false, stage: "validate" });
    expect(await postgresContent(url)).toBe(before);
  });

  it("previews a merge with db:restore --merge --dry-run --json on PostgreSQL: the figures the merge then has; changes nothing", async () => {
    const url = await postgresLab(24);
    const before = await postgresContent(url);
    const { code, stdout, out } = restoreCli(url, [REAL_BACKUPS.may, "--merge", "--dry-run", "--json"]);
    expect(code, out).toBe(0);
    const dry = JSON.parse(stdout) as {
      mode: string;
      restorable: boolean;
      database: string;
      summary: string;
      models: { label: string; now: number; added: number; present: number; conflicts: number; after: number }[];
    };
    expect(dry).toMatchObject({ mode: "merge", restorable: true });
    expect(dry.database).toMatch(/^postgresql:\/\//);
    expect(dry.summary).toMatch(/^Adds [\d,]+ records \([\d,]+ of them under a new id/);
    expect(await postgresContent(url)).toBe(before);

    const result = await merge(REAL_BACKUPS.may);
    expect(result.ok, JSON.stringify(result).slice(0, 600)).toBe(true);
    if (!result.ok) return;
    expect(
      dry.models.map(({ label, now, added, present, conflicts, after }) => ({
        label,
        now,
        added,
        present,
        conflicts,
        after,
      })),
    ).toEqual(
      result.models.map((m) => ({
        label: m.label,
        now: m.before,
        added: m.added,
        present: m.present,
        conflicts: m.conflicts,
        after: m.after,
      })),
    );
  }, 120_000);
});
