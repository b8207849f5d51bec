// Restoring into PostgreSQL (DATABASE_URL=postgresql://…) through the engine seam: the original
// app's real backups with every field, a SQLite export record for record, the id counters, the
// safety export and its roll back; and a restore that fails part-way (a record PostgreSQL
// refuses, a killed process) leaves the database exactly as it was.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { expect, it } from "vitest";

import { comparedWithDatabase } from "@/lib/admin/upload";
import { authenticate, createAccount } from "@/lib/auth/accounts";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { listSafetySnapshots, snapshotsDir } from "@/lib/backup/snapshot";
import { readSnapshotInfoOf } from "@/lib/backup/snapshot-info";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { withPostgres } from "@/lib/db/postgres/connection";
import { prisma } from "@/lib/db/prisma";
import { exportText, mutated, records, writeTemp, type BackupDoc } from "@/tests/support/backup";
import { freshDatabase, seededDatabase, tempDir } from "@/tests/support/db";
import { readDoc, REAL_BACKUPS } from "@/tests/support/django";
import { setEnv } from "@/tests/support/env";
import { describeOnPostgres, freshPostgresDatabase, schemaCatalog } from "@/tests/support/postgres";
import { postgresContent } from "@/tests/support/postgres-content";
import { copySqliteToPostgres } from "@/tests/support/postgres-data";

const PASSWORD = "keeper-password-1";

/** A migrated PostgreSQL database as the app's DATABASE_URL, with a data folder of its own; seeded when asked. */
async function postgresLab(seedScale?: number, seed = 1): Promise<string> {
  const url = await freshPostgresDatabase({ activate: false });
  if (seedScale) await copySqliteToPostgres(seededDatabase(seedScale, { activate: false, seed }), url);
  setEnv({ DATABASE_URL: url, DATA_DIR: path.join(tempDir(), "data") });
  return url;
}

const restore = (file: string, extra: Partial<Parameters<typeof restoreBackup>[0]> = {}) =>
  restoreBackup({ file, actor: "tester", source: "cli", silent: true, ...extra });

const modelsOf = async (database: string) => (JSON.parse(await exportText(database)) as BackupDoc).models;

describeOnPostgres("restoring into PostgreSQL", () => {
  it("restores both real backups of the original app with every field, as SQLite holds them", async () => {
    for (const file of Object.values(REAL_BACKUPS)) {
      const sqlite = freshDatabase();
      const onSqlite = await restore(file);
      expect(onSqlite.ok, JSON.stringify(onSqlite).slice(0, 400)).toBe(true);
      const url = await postgresLab(20);
      const result = await restore(file);
      expect(result.ok, JSON.stringify(result).slice(0, 400)).toBe(true);
      const expected = await modelsOf(sqlite);
      expect(Object.values(expected).flat().length).toBeGreaterThan(300);
      expect(await modelsOf(url)).toEqual(expected);
    }
  });

  it("restores a SQLite export record for record, and its PostgreSQL export holds the same records", async () => {
    const source = seededDatabase(300, { activate: false, seed: 4 });
    const original = JSON.parse(await exportText(source)) as BackupDoc;
    const url = await postgresLab(50, 7);
    const result = await restore(writeTemp(JSON.stringify(original)));
    expect(result.ok, JSON.stringify(result).slice(0, 400)).toBe(true);
    expect(await modelsOf(url)).toEqual(original.models);
    if (!result.ok) return;
    expect(result.models.find((m) => m.label === "calendarEditor.QueueEntry")).toMatchObject({
      inBackup: 300,
      after: 300,
    });
  });

  it("points every id counter past the restored data: the app's next record gets the next id", async () => {
    const source = seededDatabase(40, { activate: false, seed: 2 });
    const highest = Math.max(
      ...records(JSON.parse(await exportText(source)) as BackupDoc, "calendarEditor.Machine").map((r) => r.pk),
    );
    await postgresLab(200, 3);
    expect((await restore(writeTemp(await exportText(source)))).ok).toBe(true);
    const machine = await prisma().machine.create({
      data: { name: "new one", minTemp: 1, maxTemp: 2, cooldownHours: 1 },
    });
    expect(machine.id).toBe(highest + 1);
  });

  it("takes a safety export of exactly the data it replaces, and rolling back to it gives that data back", async () => {
    const url = await postgresLab(60, 5);
    const before = await postgresContent(url);
    const beforeModels = await modelsOf(url);
    const result = await restore(REAL_BACKUPS.may);
    expect(result.ok, JSON.stringify(result).slice(0, 400)).toBe(true);
    if (!result.ok) return;
    expect(result.safetySnapshot).toMatch(/^safety_.*\.json\.gz$/);
    const snapshot = path.join(snapshotsDir(), result.safetySnapshot);
    expect(await modelsOf(url)).not.toEqual(beforeModels);
    expect(readSnapshotInfoOf(snapshot)?.purpose).toMatchObject({ kind: "restore", fromOriginalApp: true });
    expect(listSafetySnapshots().map((s) => s.name)).toContain(result.safetySnapshot);

    const back = await restore(snapshot, { kind: "rollback" });
    expect(back.ok, JSON.stringify(back).slice(0, 400)).toBe(true);
    expect(await modelsOf(url)).toEqual(beforeModels);
    expect(await postgresContent(url)).toBe(before);
  });

  it("rolls back, changing nothing, when PostgreSQL refuses a record part-way through the load", async () => {
    const url = await postgresLab(40, 8);
    const before = await postgresContent(url);
    // PostgreSQL's text cannot hold a NUL character; the file's checks (and SQLite) let it through.
    const file = writeTemp(
      mutated(fs.readFileSync(REAL_BACKUPS.may, "utf8"), (doc) => {
        const notices = records(doc, "calendarEditor.Notification");
        notices[notices.length - 1]!.fields.message = "half\u0000way";
      }),
    );
    const result = await restore(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/rolled back .*0x00.*exactly as it was/);
    expect(await postgresContent(url)).toBe(before);
    expect(fs.readdirSync(snapshotsDir())).toEqual([]);
  });

  it("refuses a file with broken references before anything is kept, with the file's report", async () => {
    const url = await postgresLab(30, 9);
    const before = await postgresContent(url);
    const file = writeTemp(
      mutated(fs.readFileSync(REAL_BACKUPS.february, "utf8"), (doc) => {
        records(doc, "calendarEditor.QueueEntry")[0]!.fields.user = 99999;
      }),
    );
    const result = await restore(file);
    expect(result).toMatchObject({ ok: false, stage: "validate" });
    expect(await postgresContent(url)).toBe(before);
  });

  it("refuses in the browser a restore that would lock the acting admin out, changing nothing", async () => {
    const url = await postgresLab(30, 10);
    const before = await postgresContent(url);
    const admin = await withPostgres(
      url,
      async (db) =>
        (await db.query("SELECT username FROM auth_user WHERE is_staff LIMIT 1")).rows[0].username as string,
    );
    const result = await restoreBackup({ file: REAL_BACKUPS.february, actor: admin, source: "ui", guardSignIn: true });
    expect(result).toMatchObject({ ok: false, stage: "validate" });
    if (result.ok) return;
    expect(result.error).toMatch(/Your account .* is not in this backup/);
    expect(await postgresContent(url)).toBe(before);
  });

  it("leaves PostgreSQL exactly as it was when the restoring process is killed part-way", async () => {
    const url = await postgresLab(30, 11);
    const before = await postgresContent(url);
    const schema = await schemaCatalog(url);
    const big = path.join(tempDir(), "big.json");
    fs.writeFileSync(big, await exportText(seededDatabase(3000, { activate: false, seed: 12 })));
    const child = spawn("node", ["scripts/cli.mjs", "restore", big, "--yes"], {
      env: { ...process.env, DATABASE_URL: url, DATA_DIR: path.join(tempDir(), "data"), USER: "operator" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let said = "";
    child.stdout.on("data", (chunk: Buffer) => (said += chunk));
    child.stderr.on("data", (chunk: Buffer) => (said += chunk));
    const killed = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    // Killed while the server takes the rows: the tables were emptied, their foreign keys set
    // aside, a COPY is running, no COMMIT yet.
    const copying = await withPostgres(url, async (db) => {
      for (let tries = 0; tries < 3000 && child.exitCode === null; tries++) {
        const { rows } = await db.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY %' AND state = 'active'",
        );
        if (rows.length > 0) return child.kill("SIGKILL");
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return false;
    });
    expect(copying, said).toBe(true);
    expect(await killed, said).toBe("SIGKILL");
    expect(said).not.toMatch(/Restored in/);
    expect(await postgresContent(url)).toBe(before);
    // Every foreign key (and index, and column) is there as before.
    expect(await schemaCatalog(url)).toEqual(schema);
    // Nothing is left holding the tables: the next restore goes ahead.
    expect((await restore(REAL_BACKUPS.february)).ok).toBe(true);
  });

  it("moves in keeping the installer's account: the lab's superuser keeps id 1, the installer a free id, counters past both", async () => {
    await postgresLab();
    const installer = await createAccount({ username: "admin", password: PASSWORD, staff: true, superuser: true });
    expect(installer.id).toBe(1);
    const doc = readDoc(REAL_BACKUPS.may);
    const presetsOfPk1 = records(doc, "calendarEditor.QueuePreset").filter((r) => r.fields.creator === 1).length;
    const result = await restoreBackup({
      file: REAL_BACKUPS.may,
      actor: "admin",
      source: "ui",
      guardSignIn: true,
      keepAccounts: ["admin"],
      silent: true,
    });
    expect(result.ok, JSON.stringify(result).slice(0, 300)).toBe(true);
    if (!result.ok) return;
    const freeId = Math.max(...records(doc, "auth.User").map((r) => r.pk)) + 1;
    expect(result.kept).toEqual([
      "Kept admin as it was before the restore, with its profile and preferences; " +
        `it now has id ${freeId}, because the backup's qtdtq keeps id 1.`,
    ]);
    expect(result.models.find((m) => m.label === "auth.User")?.after).toBe(records(doc, "auth.User").length + 1);
    expect(await prisma().user.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({
      username: "qtdtq",
      isSuperuser: true,
    });
    expect(await prisma().queuePreset.count({ where: { creatorId: 1 } })).toBe(presetsOfPk1);
    expect(await authenticate("admin", PASSWORD)).toMatchObject({ id: freeId });
    const next = await createAccount({ username: "after-the-move", password: PASSWORD });
    expect(next.id).toBe(freeId + 1);
  });

  it("refuses to keep an account PostgreSQL does not hold, changing nothing", async () => {
    const url = await postgresLab(20, 13);
    const before = await postgresContent(url);
    const result = await restore(REAL_BACKUPS.february, { keepAccounts: ["nobody-here"] });
    expect(result).toMatchObject({ ok: false, stage: "validate" });
    if (result.ok) return;
    expect(result.error).toMatch(/no account named "nobody-here"/);
    expect(await postgresContent(url)).toBe(before);
  });

  it("compares an upload with the database for Manage Storage's dry run: counts now and the admin's account", async () => {
    const url = await postgresLab(20, 15);
    const admin = await createAccount({ username: "checker", password: PASSWORD, staff: true });
    const report = await verifyBackupFile(REAL_BACKUPS.february);
    const compared = await comparedWithDatabase(report, admin.username);
    const counts = await withPostgres(
      url,
      async (db) => (await db.query("SELECT count(*)::int AS n FROM auth_user")).rows[0].n,
    );
    expect(compared.current["auth.User"]).toBe(counts);
    expect(compared.signIn.actor).toMatchObject({ username: "checker", status: "missing" });
    expect(compared.report.accounts).toEqual([]);
  });
});
