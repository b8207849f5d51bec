// `npm run db:move -- --to postgresql://…` as an operator runs it: the real CLI, a real SQLite
// file and a real PostgreSQL database. Every refusal changes nothing on either side.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { expect, it } from "vitest";

import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { countTables } from "@/lib/db/engine/postgres/read";
import { withPostgres } from "@/lib/db/postgres/connection";
import { contentHash, seededDatabase, tableCounts, tempDir } from "@/tests/support/db";
import { describeOnPostgres, emptyPostgresDatabase, freshPostgresDatabase } from "@/tests/support/postgres";

const TABLES = BACKUP_MODELS.map((m) => m.table);
const tableOf = (label: string) => BACKUP_MODELS.find((m) => m.label === label)!.table;

function moveCli(database: string, args: string[]) {
  const result = spawnSync("node", ["scripts/cli.mjs", "db-move", ...args], {
    env: { ...process.env, DATABASE_URL: `file:${database}`, DATA_DIR: `${database}.data`, USER: "operator" },
    encoding: "utf8",
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}`, stdout: result.stdout };
}

const recordsIn = (url: string) => withPostgres(url, (db) => countTables(db, TABLES));
const filesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

describeOnPostgres("db:move from SQLite to PostgreSQL on the command line", () => {
  it("refuses a PostgreSQL database that holds records, changing nothing on either side", async () => {
    const sqlite = seededDatabase(30, { activate: false });
    const target = await freshPostgresDatabase({ activate: false });
    await withPostgres(target, (db) =>
      db.query(`INSERT INTO "auth_user" (username, password, first_name, last_name, email, is_staff, is_active, is_superuser, date_joined)
                VALUES ('already-here', '!', '', '', '', false, true, false, now())`),
    );
    const before = { sqlite: contentHash(sqlite), target: await recordsIn(target) };

    const { code, out } = moveCli(sqlite, ["--to", target]);

    expect(code).toBe(1);
    expect(out).toContain(
      "already holds 1 record. Nothing was changed. To replace them with the SQLite data, run again with --replace.",
    );
    expect(contentHash(sqlite)).toBe(before.sqlite);
    expect(await recordsIn(target)).toEqual(before.target);
    expect(filesIn(`${sqlite}.data`)).toEqual([]);
  });

  it("refuses what is not a move from a SQLite file to PostgreSQL, naming the argument", async () => {
    const sqlite = seededDatabase(5, { activate: false });
    const target = await emptyPostgresDatabase();

    expect(moveCli(sqlite, [])).toMatchObject({
      code: 1,
      out: expect.stringContaining("Usage: npm run db:move -- --to"),
    });
    expect(moveCli(sqlite, ["--to", "file:/tmp/elsewhere.sqlite3"]).out).toContain(
      "--to must name a PostgreSQL database",
    );
    expect(moveCli(sqlite, ["--to", target, "--from", target]).out).toContain(
      "The database to move from is PostgreSQL already",
    );
    const missing = path.join(tempDir(), "no-such.sqlite3");
    expect(moveCli(sqlite, ["--to", target, "--from", missing]).out).toContain(
      `There is no SQLite database at ${missing}`,
    );
    const notSqlite = path.join(tempDir(), "notes.sqlite3");
    fs.writeFileSync(notSqlite, "these are notes, not a database\n".repeat(200));
    const refused = moveCli(sqlite, ["--to", target, "--from", notSqlite]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`${notSqlite} cannot be read as this app's SQLite database`);
    // Nothing was migrated: the target is still empty of tables.
    await withPostgres(target, async (db) => {
      const { rows } = await db.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()");
      expect(rows).toEqual([]);
    });
  });

  it("keeps a password in the URL out of everything it prints", async () => {
    const sqlite = seededDatabase(5, { activate: false });
    const { out } = moveCli(sqlite, ["--to", "postgresql://lab:sup3r-s3cret@127.0.0.1:1/lab"]);

    expect(out).toContain("Cannot connect to postgresql://lab@127.0.0.1:1/lab");
    expect(out).not.toContain("sup3r-s3cret");
  });

  it("moves every record of a SQLite file into an empty PostgreSQL database, the same record for record", async () => {
    const sqlite = seededDatabase(60, { activate: false, seed: 7 });
    const before = contentHash(sqlite);
    const target = await emptyPostgresDatabase();

    const { code, out, stdout } = moveCli(sqlite, ["--to", target]);

    expect(out).toContain("PostgreSQL holds the same records as the SQLite file, record for record.");
    expect(code).toBe(0);
    // The table names entities as a lab manager reads them, not by their Django labels.
    expect(stdout).toMatch(/^Queue entries +\d+ +\d+$/m);
    expect(stdout).not.toContain("calendarEditor.");
    const digests = [...stdout.matchAll(/Records digest \(SHA-256\) of [^:]+: +([0-9a-f]{64})/g)].map((m) => m[1]);
    expect(digests).toHaveLength(2);
    expect(digests[0]).toBe(digests[1]);
    expect(await recordsIn(target)).toEqual(
      Object.fromEntries(Object.entries(tableCounts(sqlite)).map(([label, n]) => [tableOf(label), n])),
    );
    // The SQLite file is only read; the backup of the moment stays beside it.
    expect(contentHash(sqlite)).toBe(before);
    expect(filesIn(`${sqlite}.data`).filter((f) => /^database_backup_.*\.json$/.test(f))).toHaveLength(1);
  });

  it("with --replace, replaces what the PostgreSQL database held", async () => {
    const sqlite = seededDatabase(20, { activate: false, seed: 8 });
    const target = await freshPostgresDatabase({ activate: false });
    await withPostgres(target, (db) =>
      db.query(`INSERT INTO "auth_user" (username, password, first_name, last_name, email, is_staff, is_active, is_superuser, date_joined)
                VALUES ('only-in-postgresql', '!', '', '', '', false, true, false, now())`),
    );

    const { code, out } = moveCli(sqlite, ["--to", target, "--replace"]);

    expect(out).toContain("holds 1 record; --replace: they will be replaced.");
    expect(code).toBe(0);
    await withPostgres(target, async (db) => {
      const { rows } = await db.query(`SELECT id FROM "auth_user" WHERE username = 'only-in-postgresql'`);
      expect(rows).toEqual([]);
    });
    expect(await recordsIn(target)).toEqual(
      Object.fromEntries(Object.entries(tableCounts(sqlite)).map(([label, n]) => [tableOf(label), n])),
    );
  });
});
