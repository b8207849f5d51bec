// `npm run db:restore` as an operator uses it: the dry run (text and JSON), the typed YES,
// --keep-account, --silent. Each runs the real CLI against a real database file.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

import { describe, expect, it } from "vitest";

import { withSqlite } from "@/lib/db/sqlite";
import { exportFile } from "@/tests/support/backup";
import { contentHash, seededDatabase, tableCounts } from "@/tests/support/db";
import { readDoc, REAL_BACKUPS, recordList } from "@/tests/support/django";

function restoreCli(database: string, args: string[], input = "") {
  const result = spawnSync("node", ["scripts/cli.mjs", "restore", ...args], {
    env: { ...process.env, DATABASE_URL: `file:${database}`, DATA_DIR: `${database}.data`, USER: "operator" },
    input,
    encoding: "utf8",
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}`, stdout: result.stdout };
}

describe("db:restore on the command line", () => {
  it("prints the dry run as JSON: per model in file, now and change, and who could sign in; changes nothing", () => {
    const database = seededDatabase(50, { activate: false, seed: 3 });
    const before = contentHash(database);
    const { code, stdout } = restoreCli(database, [REAL_BACKUPS.may, "--dry-run", "--json"]);
    expect(code).toBe(0);
    const dry = JSON.parse(stdout) as {
      restorable: boolean;
      models: { label: string; inFile: number; now: number; change: number }[];
      signIn: { staffWhoCanSignIn: number; warnings: string[] };
      summary: string;
      report: Record<string, unknown>;
    };
    expect(dry.restorable).toBe(true);
    expect(dry.models.find((m) => m.label === "calendarEditor.Notification")).toEqual(
      expect.objectContaining({ inFile: 604, now: 100, change: 504 }),
    );
    expect(dry.signIn.staffWhoCanSignIn).toBeGreaterThan(0);
    expect(dry.summary).toMatch(/^Replaces [\d,]+ rows with 926 rows/);
    expect(dry.report).not.toHaveProperty("accounts");
    expect(contentHash(database)).toBe(before);
  });

  it("warns in the dry run when no staff could sign in afterwards, and still restores when told to", async () => {
    const source = seededDatabase(30, { activate: false, seed: 5 });
    withSqlite((db) => db.exec("UPDATE auth_user SET is_active = 0"), source);
    const file = await exportFile(source);
    const database = seededDatabase(30, { activate: false, seed: 6 });
    const dry = restoreCli(database, [file, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/WARNING: No active staff account with a usable password is in this backup/);
    const done = restoreCli(database, [file, "--yes"]);
    expect(done.code, done.out).toBe(0);
    expect(done.out).toMatch(/WARNING: No active staff account/);
  });

  it("asks for a typed YES: anything else cancels and changes nothing", () => {
    const database = seededDatabase(40, { activate: false, seed: 2 });
    const before = contentHash(database);
    const cancelled = restoreCli(database, [REAL_BACKUPS.may], "yes\n");
    expect(cancelled.code).toBe(1);
    expect(cancelled.out).toMatch(/Type YES to restore: Cancelled; nothing was changed/);
    expect(contentHash(database)).toBe(before);

    const confirmed = restoreCli(database, [REAL_BACKUPS.may, "--silent"], "YES\n");
    expect(confirmed.code, confirmed.out).toBe(0);
    expect(tableCounts(database)["auth.User"]).toBe(23);
  });

  it("keeps a named account with --keep-account, and with --silent every model holds exactly the file's rows", () => {
    const database = seededDatabase(40, { activate: false, seed: 2 });
    const keptName = withSqlite(
      (db) => db.prepare("SELECT username FROM auth_user WHERE id = 2").pluck().get() as string,
      database,
    );
    const { code, out } = restoreCli(database, [REAL_BACKUPS.may, "--yes", "--silent", "--keep-account", keptName]);
    expect(code, out).toBe(0);
    expect(out).toContain(`Kept ${keptName} as it was before the restore`);
    const counts = tableCounts(database);
    const doc = readDoc(REAL_BACKUPS.may);
    expect(counts["auth.User"]).toBe(recordList(doc, "auth.User").length + 1);
    for (const label of ["calendarEditor.QueueEntry", "calendarEditor.Notification", "calendarEditor.Machine"]) {
      expect(counts[label], label).toBe(recordList(doc, label).length);
    }
  });

  it("merges with --merge: prints added, added under a new id and already present per model, and changes no existing row", async () => {
    const file = await exportFile(seededDatabase(200, { activate: false, seed: 5 }));
    const database = seededDatabase(100, { activate: false, seed: 1 });
    const firstEntry = () =>
      withSqlite((db) => db.prepare("SELECT * FROM calendarEditor_queueentry WHERE id = 1").get(), database);
    const before = firstEntry();
    const { code, out } = restoreCli(database, [file, "--yes", "--merge", "--silent"]);
    expect(code, out).toBe(0);
    expect(out).toMatch(/added +new id +present +after/);
    expect(out).toMatch(/Queue entries +100 +200 +100 +100 +0 +300/);
    expect(firstEntry()).toEqual(before);
  });

  it("merging a file whose every record is already here changes nothing: no safety snapshot, no notice to staff, no question", async () => {
    const database = seededDatabase(60, { activate: false, seed: 7 });
    const own = await exportFile(database);
    const before = contentHash(database);
    const snapshots = () =>
      fs.existsSync(`${database}.data/snapshots`) ? fs.readdirSync(`${database}.data/snapshots`) : [];

    const told = restoreCli(database, [own, "--merge", "--yes"]);
    expect(told.code, told.out).toBe(0);
    expect(told.out).toContain("Nothing to add: every record of this file is already here. Nothing was changed.");
    const asked = restoreCli(database, [own, "--merge"]);
    expect(asked.code, asked.out).toBe(0);
    expect(asked.out).not.toContain("Type YES");
    expect(asked.out).toMatch(/Nothing to add: every record of this file is already here\. Nothing was changed\.\n*$/);

    // Every table's rows, the staff notices among them; nor is a failed restore in the History.
    expect(contentHash(database)).toBe(before);
    expect(snapshots()).toEqual([]);
    expect(withSqlite((db) => db.prepare("SELECT kind, result FROM backup_event").all(), database)).toEqual([]);
  });

  it("previews a merge with --merge --dry-run --json: per model added, already present and conflicts, named; changes nothing", async () => {
    const database = seededDatabase(500, { activate: false });
    const before = contentHash(database);
    const { code, stdout } = restoreCli(database, [REAL_BACKUPS.may, "--merge", "--dry-run", "--json"]);
    expect(code).toBe(0);
    const dry = JSON.parse(stdout) as {
      mode: string;
      restorable: boolean;
      summary: string;
      models: {
        label: string;
        inFile: number;
        now: number;
        added: number;
        present: number;
        conflicts: number;
        after: number;
        examples: string[];
      }[];
    };
    expect(dry).toMatchObject({ mode: "merge", restorable: true });
    expect(dry).not.toHaveProperty("signIn");
    expect(dry.summary).toBe(
      "Adds 926 records (226 of them under a new id, because their id belongs to a different record here); nothing that exists changes.",
    );
    const users = dry.models.find((m) => m.label === "auth.User")!;
    expect(users).toMatchObject({ inFile: 23, now: 8, added: 21, present: 0, conflicts: 2, after: 31 });
    expect(users.examples[0]).toMatch(
      /^User 1 in the file is “qtdtq”, but user 1 here is “[^”]+”: it comes in as id 47\.$/,
    );
    expect(dry.models.find((m) => m.label === "calendarEditor.Machine")).toMatchObject({ added: 0, conflicts: 5 });
    expect(contentHash(database)).toBe(before);

    // The database's own export: every record already here.
    const own = await exportFile(database);
    const again = JSON.parse(restoreCli(database, [own, "--merge", "--dry-run", "--json"]).stdout) as typeof dry;
    for (const m of again.models) expect(m).toMatchObject({ added: 0, conflicts: 0, present: m.inFile, examples: [] });
    expect(again.summary).toMatch(/^Adds nothing: all [\d,]+ records of this file are already here/);
  });
});
