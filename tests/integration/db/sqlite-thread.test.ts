// The restore's connection on a thread of its own answers as a plain connection does, runs
// handed-over rows in order before anything asked after them, and never commits what failed.
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { withSqlite } from "@/lib/db/sqlite";
import { openSqliteThread, type ThreadedSqlite } from "@/lib/db/sqlite-thread";
import { tempDir } from "@/tests/support/db";

const open: ThreadedSqlite[] = [];

function threaded(): { db: ThreadedSqlite; file: string } {
  const file = path.join(tempDir(), "thread.sqlite3");
  withSqlite((plain) => plain.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"), file);
  const db = openSqliteThread(file);
  open.push(db);
  return { db, file };
}

const namesIn = (file: string) =>
  withSqlite((plain) => plain.prepare("SELECT name FROM t ORDER BY id").pluck().all(), file, { readonly: true });

afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe("a SQLite connection on a thread of its own", () => {
  it("answers like a plain connection: run, get, all, pluck, pragma", () => {
    const { db } = threaded();
    expect(db.prepare("INSERT INTO t (name) VALUES (?), (?)").run("a", "b")).toEqual({ changes: 2 });
    expect(db.prepare("SELECT id, name FROM t WHERE name = ?").get("b")).toEqual({ id: 2, name: "b" });
    expect(db.prepare("SELECT name FROM t ORDER BY id").pluck().all()).toEqual(["a", "b"]);
    expect([...db.prepare("SELECT id FROM t").pluck().iterate()]).toEqual([1, 2]);
    expect(db.prepare("SELECT name FROM t WHERE id = 9").get()).toBeUndefined();
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
  });

  it("runs handed-over rows, in order, before any call made after them", () => {
    const { db, file } = threaded();
    db.exec("BEGIN");
    for (let i = 1; i <= 2500; i++) db.queue("INSERT INTO t (id, name) VALUES (?, ?)", [i, `n${i}`]);
    expect(db.prepare("SELECT count(*) FROM t").pluck().get()).toBe(2500);
    db.exec("COMMIT");
    expect(namesIn(file)).toHaveLength(2500);
    expect(namesIn(file).at(-1)).toBe("n2500");
  });

  it("makes the next call throw SQLite's own words when a handed-over row fails, and commits nothing", () => {
    const { db, file } = threaded();
    db.exec("BEGIN");
    db.queue("INSERT INTO t (id, name) VALUES (?, ?)", [1, "kept?"]);
    db.queue("INSERT INTO t (id, name) VALUES (?, ?)", [2, null]);
    db.queue("INSERT INTO t (id, name) VALUES (?, ?)", [3, "after"]);
    expect(() => db.exec("COMMIT")).toThrow("NOT NULL constraint failed: t.name");
    expect(() => db.prepare("SELECT 1").get()).toThrow("NOT NULL constraint failed: t.name");
    db.close();
    expect(namesIn(file)).toEqual([]);
  });

  it("rolls back what was not committed when it is closed", () => {
    const { db, file } = threaded();
    db.exec("BEGIN IMMEDIATE");
    db.prepare("INSERT INTO t (name) VALUES (?)").run("uncommitted");
    db.close();
    expect(namesIn(file)).toEqual([]);
    expect(() => db.exec("SELECT 1")).toThrow("The database connection is closed.");
  });

  it("says why a file cannot be opened instead of waiting", () => {
    const db = openSqliteThread(tempDir());
    open.push(db);
    expect(() => db.exec("SELECT 1")).toThrow(/unable to open database file|directory/i);
  });
});
