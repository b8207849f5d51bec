// The foreign-key check before a restore commits: every key the database declares, in every
// table, answered in foreign_key_check's own words.
import path from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { findBrokenReferences } from "@/lib/db/engine/sqlite/foreign-keys";
import { openSqlite, type SqlConnection, type Sqlite } from "@/lib/db/sqlite";
import { tempDir } from "@/tests/support/db";

let db: Sqlite | undefined;
afterEach(() => db?.close());

/** A key of two columns, beside a key of one on the same table. */
const TWO_COLUMN_KEY = `CREATE TABLE slot (machine_id INTEGER, n INTEGER, PRIMARY KEY (machine_id, n));
  INSERT INTO slot VALUES (1, 1);
  CREATE TABLE booking (id INTEGER PRIMARY KEY, machine_id INTEGER REFERENCES machine (id), n INTEGER,
    FOREIGN KEY (machine_id, n) REFERENCES slot (machine_id, n));`;

/** A database that lets broken references in, as a restore's connection does until it checks. */
function database(sql: string): Sqlite {
  db?.close();
  db = openSqlite(path.join(tempDir(), "keys.sqlite3"));
  db.pragma("foreign_keys = OFF");
  db.exec(`
    CREATE TABLE machine (id INTEGER PRIMARY KEY);
    CREATE TABLE entry (id INTEGER PRIMARY KEY, machine_id INTEGER REFERENCES machine (id));
    CREATE INDEX entry_machine ON entry (machine_id);
    INSERT INTO machine (id) VALUES (1), (2);
    INSERT INTO entry (id, machine_id) VALUES (10, 1), (11, 2), (12, NULL);
    ${sql}`);
  return db;
}

/** The connection, noting each foreign_key_check it is asked to run. */
function watched(on: Sqlite): { connection: SqlConnection; fullChecks: string[] } {
  const fullChecks: string[] = [];
  const connection: SqlConnection = {
    prepare: (sql) => on.prepare(sql),
    exec: (sql) => on.exec(sql),
    pragma(source, options) {
      if (source.startsWith("foreign_key_check")) fullChecks.push(source);
      return on.pragma(source, options);
    },
  };
  return { connection, fullChecks };
}

describe("finding broken references", () => {
  it("finds none where every reference has its row, and an empty reference is not broken", () => {
    expect(findBrokenReferences(database(""))).toBeNull();
  });

  it("names the count and the first broken row as foreign_key_check does", () => {
    const found = findBrokenReferences(database("INSERT INTO entry (id, machine_id) VALUES (13, 7), (14, 8);"));
    expect(found).toEqual({ count: 2, first: { table: "entry", rowid: 13, parent: "machine" } });
  });

  it("finds a broken reference in a table that has no index on the column", () => {
    const found = findBrokenReferences(
      database(`CREATE TABLE note (id INTEGER PRIMARY KEY, entry_id INTEGER REFERENCES entry (id));
                INSERT INTO note (id, entry_id) VALUES (1, 10), (2, 99);`),
    );
    expect(found).toEqual({ count: 1, first: { table: "note", rowid: 2, parent: "entry" } });
  });

  it("finds a broken reference to a unique column that holds an empty value", () => {
    const found = findBrokenReferences(
      database(`CREATE TABLE person (id INTEGER PRIMARY KEY, badge TEXT UNIQUE);
                INSERT INTO person (id, badge) VALUES (1, 'A'), (2, NULL);
                CREATE TABLE visit (id INTEGER PRIMARY KEY, badge TEXT REFERENCES person (badge));
                INSERT INTO visit (id, badge) VALUES (1, 'A'), (2, 'Z');`),
    );
    expect(found).toEqual({ count: 1, first: { table: "visit", rowid: 2, parent: "person" } });
  });

  it("leaves foreign_key_check, which reads every row, to where a key of one column cannot say", () => {
    const clean = watched(database(TWO_COLUMN_KEY));
    expect(findBrokenReferences(clean.connection)).toBeNull();
    expect(clean.fullChecks).toEqual(['foreign_key_check("booking")']);
  });

  it("runs foreign_key_check once for a table whose keys of two columns it alone can check", () => {
    const twoSuchKeys = `${TWO_COLUMN_KEY}
      CREATE TABLE swap (id INTEGER PRIMARY KEY, a_machine INTEGER, a_n INTEGER, b_machine INTEGER, b_n INTEGER,
        FOREIGN KEY (a_machine, a_n) REFERENCES slot (machine_id, n),
        FOREIGN KEY (b_machine, b_n) REFERENCES slot (machine_id, n));
      INSERT INTO swap VALUES (1, 1, 1, 1, 1);`;
    const clean = watched(database(twoSuchKeys));
    expect(findBrokenReferences(clean.connection)).toBeNull();
    expect(clean.fullChecks).toEqual(['foreign_key_check("booking")', 'foreign_key_check("swap")']);
  });

  it("checks keys of two columns, and keys naming no parent column, with foreign_key_check itself", () => {
    expect(findBrokenReferences(database(`${TWO_COLUMN_KEY} INSERT INTO booking VALUES (1, 1, 1);`))).toBeNull();
    expect(findBrokenReferences(database(`${TWO_COLUMN_KEY} INSERT INTO booking VALUES (1, 1, 2);`))?.first).toEqual({
      table: "booking",
      rowid: 1,
      parent: "slot",
    });
    const implicit = `CREATE TABLE tag (id INTEGER PRIMARY KEY, machine_id INTEGER REFERENCES machine);`;
    expect(findBrokenReferences(database(`${implicit} INSERT INTO tag VALUES (1, 2);`))).toBeNull();
    expect(findBrokenReferences(database(`${implicit} INSERT INTO tag VALUES (1, 3);`))?.count).toBe(1);
  });
});
