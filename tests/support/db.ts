// Real SQLite files for tests: a fresh migrated copy per call, deleted after the file's tests.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, inject } from "vitest";

import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { NOT_LITESTREAM_TABLE } from "@/lib/db/litestream-tables";
import { openSqlite, withSqlite, type Sqlite } from "@/lib/db/sqlite";
import { seedDemoData } from "@/lib/seed/seed";
import { setEnv } from "@/tests/support/env";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = "labq-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A migrated, empty database file; also made the app's DATABASE_URL unless `activate` is false. */
export function freshDatabase({ activate = true } = {}): string {
  const dir = tempDir();
  const file = path.join(dir, "db.sqlite3");
  fs.copyFileSync(inject("templateDatabase"), file);
  if (activate) {
    setEnv({ DATABASE_URL: `file:${file}`, DATA_DIR: path.join(dir, "data") });
  }
  return file;
}

export function seededDatabase(scale: number, options?: { activate?: boolean; seed?: number }): string {
  const file = freshDatabase(options);
  withSqlite((db) => seedDemoData(db, scale, options?.seed ?? 1), file);
  return file;
}

/** The audit history records refused and failed restores too, by design; it is not lab data. */
const AUDIT_TABLE = "backup_event";
/** What our snapshots record of themselves (when taken, before what): not lab data either. */
const SNAPSHOT_INFO = "_snapshot_info";

/**
 * A digest of the schema (every table and index as sqlite_master records it) and every row
 * of every table in primary-key order (the lab's data, the join tables, the migrations
 * table) and the autoincrement counters: "the database is exactly as it was" means this is
 * equal. Only the audit history and a snapshot's record of itself are left out.
 */
export function contentHash(file: string): string {
  const db = openSqlite(file, { readonly: true });
  try {
    const hash = createHash("sha256");
    hash.update(
      JSON.stringify(
        db
          .prepare(
            `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name <> ? AND ${NOT_LITESTREAM_TABLE} ORDER BY type, name`,
          )
          .raw()
          .all(SNAPSHOT_INFO),
      ),
    );
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' AND name NOT IN (?, ?) AND ${NOT_LITESTREAM_TABLE} ORDER BY name`,
      )
      .pluck()
      .all(AUDIT_TABLE, SNAPSHOT_INFO) as string[];
    for (const table of tables) {
      hash.update(`\n#${table}\n`);
      const where = table === "sqlite_sequence" ? `WHERE name <> '${AUDIT_TABLE}'` : "";
      for (const row of db.prepare(`SELECT * FROM "${table}" ${where} ORDER BY 1, 2`).raw().iterate()) {
        hash.update(JSON.stringify(row, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
      }
    }
    return hash.digest("hex");
  } finally {
    db.close();
  }
}

export function tableCounts(file: string): Record<string, number> {
  return withSqlite(
    (db) =>
      Object.fromEntries(
        BACKUP_MODELS.map((m) => [m.label, db.prepare(`SELECT COUNT(*) FROM "${m.table}"`).pluck().get() as number]),
      ),
    file,
    { readonly: true },
  );
}

/**
 * Damages the first page of `index` in the database file itself, as a failing disk would:
 * its page type byte becomes one no b-tree page has. SQLite reads the page only when
 * something walks that index, so a database with a damaged index of a table nobody touches
 * works on, and only a check of every page (PRAGMA quick_check) finds it.
 */
export function damageIndexPage(file: string, index: string): { repair(): void } {
  return damagePage(file, (db) => {
    const page = db.prepare("SELECT rootpage FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(index);
    if (!page) throw new Error(`no index named ${index}`);
    return page as number;
  });
}

/**
 * Damages the last leaf page of `table` (the one holding its highest keys), as a failing
 * disk would: reads of its first rows work, a read that reaches its last ones fails with
 * "database disk image is malformed".
 */
export function damageLastTablePage(file: string, table: string): { repair(): void } {
  return damagePage(file, (db) => {
    const leaves = db
      .prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path")
      .pluck()
      .all(table) as number[];
    if (leaves.length < 2) throw new Error(`${table} has fewer than two leaf pages`);
    return leaves.at(-1)!;
  });
}

/** Overwrites the page type byte of the page `find` names; returns what puts it back. */
function damagePage(file: string, find: (db: Sqlite) => number): { repair(): void } {
  const { page, pageSize } = withSqlite((db) => {
    // Every committed page into the file itself, so the write below is what SQLite reads.
    db.pragma("wal_checkpoint(TRUNCATE)");
    return { page: find(db), pageSize: db.pragma("page_size", { simple: true }) as number };
  }, file);
  const writeTypeByte = (byte: Buffer) => {
    const fd = fs.openSync(file, "r+");
    try {
      const before = Buffer.alloc(1);
      fs.readSync(fd, before, 0, 1, (page - 1) * pageSize);
      fs.writeSync(fd, byte, 0, 1, (page - 1) * pageSize);
      return before;
    } finally {
      fs.closeSync(fd);
    }
  };
  const original = writeTypeByte(Buffer.from([0x00]));
  /** Puts the byte back: the database is then byte for byte what it was (for comparing). */
  return { repair: () => void writeTypeByte(original) };
}

/**
 * Makes the database itself fail an insert part-way through a load, as a full disk or a
 * constraint of another tool would: triggers on every backed-up table count the rows inserted
 * and abort the `after`-th insert with `message`. Returns what removes them again (the
 * database is then as it was, for comparing).
 */
export function failingAfterInserts(file: string, after: number, message = "stopped part-way"): { remove(): void } {
  const tables = BACKUP_MODELS.map((m) => m.table);
  withSqlite((db) => {
    db.exec("CREATE TABLE test_inserts_seen (n INTEGER NOT NULL); INSERT INTO test_inserts_seen VALUES (0);");
    for (const [i, table] of tables.entries()) {
      db.exec(`CREATE TRIGGER test_fail_${i} BEFORE INSERT ON "${table}" BEGIN
        UPDATE test_inserts_seen SET n = n + 1;
        SELECT RAISE(ABORT, '${message.replaceAll("'", "''")}') WHERE (SELECT n FROM test_inserts_seen) >= ${after};
      END`);
    }
  }, file);
  return {
    remove: () =>
      withSqlite((db) => {
        for (const i of tables.keys()) db.exec(`DROP TRIGGER test_fail_${i}`);
        db.exec("DROP TABLE test_inserts_seen");
      }, file),
  };
}
