// The export writes record text in SQL, with fast paths per column type; every value must come
// out exactly as the JavaScript writer (VALUE_WRITERS) would write it, odd stored values too.
import { createHash } from "node:crypto";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { hashPageRecords, recordTextPlan } from "@/lib/backup/export/record-text";
import type { ColumnSpec, ModelSpec, ScalarType } from "@/lib/backup/format/schema-model";
import { VALUE_WRITERS } from "@/lib/db/engine/json-values";
import { modelPages } from "@/lib/db/engine/sqlite/pages";
import { recordTextPages } from "@/lib/db/engine/sqlite/record-text";
import { NotOnThisThread, startTextThread, type TextThread } from "@/lib/db/engine/sqlite/text-thread";
import { openSqlite, type Sqlite } from "@/lib/db/sqlite";
import { tempDir } from "@/tests/support/db";

const COLUMNS: [string, ScalarType, string][] = [
  ["n", "Int", "INTEGER"],
  ["x", "Float", "REAL"],
  ["s", "String", "TEXT"],
  ["b", "Boolean", "BOOLEAN"],
  ["d", "DateTime", "DATETIME"],
  ["j", "Json", "JSONB"],
];

function column(name: string, type: ScalarType, isId = false): ColumnSpec {
  return {
    field: name,
    column: name,
    django: `${name}_field`,
    type,
    nullable: !isId,
    default: { kind: "none" },
    updatedAt: false,
    djangoAuto: false,
    isId,
    unique: isId,
  };
}

const pk = column("id", "Int", true);
const MODEL: ModelSpec = {
  name: "Thing",
  label: "lab.Thing",
  table: "thing",
  columns: [pk, ...COLUMNS.map(([name, type]) => column(name, type))],
  pk,
  manyToMany: [],
};

function thingDatabase(): Sqlite {
  const db = openSqlite(path.join(tempDir("labq-text-"), "things.sqlite3"));
  db.exec(`CREATE TABLE thing (id INTEGER PRIMARY KEY, ${COLUMNS.map(([n, , sql]) => `${n} ${sql}`).join(", ")})`);
  return db;
}

/** What the JavaScript writers make of the stored rows, in the export's record form. */
function expectedRecords(db: Sqlite): string[] {
  const rows = db.prepare("SELECT * FROM thing ORDER BY id").raw().all() as unknown[][];
  return rows.map((row) => {
    const fields = COLUMNS.map(([name, type], i) => `"${name}_field":${VALUE_WRITERS[type](row[i + 1])}`);
    return `{"model":"lab.thing","pk":${String(row[0])},"fields":{${fields.join(",")}}}`;
  });
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The records digest's input (format.ts): each record followed by "\n". */
const digestOf = (records: string[]) => sha256(records.map((r) => `${r}\n`).join(""));

function writtenRecords(db: Sqlite, pageSize: number): { document: string; recordsDigest: string; pages: number } {
  db.exec("BEGIN");
  try {
    const pages = [...recordTextPages(db, recordTextPlan(MODEL), pageSize)];
    const recordsHash = createHash("sha256");
    for (const page of pages) hashPageRecords(recordsHash, page.document);
    return {
      document: pages
        .map((p) => p.document.toString("utf8"))
        .join("")
        .slice(2),
      recordsDigest: recordsHash.digest("hex"),
      pages: pages.length,
    };
  } finally {
    db.exec("COMMIT");
  }
}

/**
 * The same, with the pages shared with a second thread as an export shares them: the text
 * and how many pages the thread wrote (the rest came back to the main thread or were its own).
 */
async function writtenWithThread(db: Sqlite, pageSize: number): Promise<{ document: string; onThread: number }> {
  const begin = () => db.exec("BEGIN");
  const thread = await startTextThread({ file: db.name, plans: [recordTextPlan(MODEL)], pageSize, beginRead: begin });
  expect(thread).not.toBeNull();
  let onThread = 0;
  const write = thread!.write.bind(thread);
  thread!.write = (model, range) => write(model, range).then((page) => (onThread++, page));
  try {
    let document = "";
    for await (const page of modelPages(db, [recordTextPlan(MODEL)], 0, pageSize, thread))
      document += page.document.toString("utf8");
    return { document: document.slice(2), onThread };
  } finally {
    thread!.close();
    db.exec("COMMIT");
  }
}

function insertAll(db: Sqlite, column: string, values: unknown[]): void {
  const insert = db.prepare(`INSERT INTO thing (${column}) VALUES (?)`);
  db.transaction(() => values.forEach((v) => insert.run(v)))();
}

/** Doubles of every kind a column may hold: lab-style decimals, integers, extremes, random bits. */
function manyDoubles(count: number): number[] {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const bits = new DataView(new ArrayBuffer(8));
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    switch (i % 4) {
      case 0:
        values.push(Number((random() * 10 ** Math.floor(random() * 8)).toFixed(Math.floor(random() * 7))));
        break;
      case 1:
        values.push((random() - 0.5) * 10 ** (Math.floor(random() * 40) - 20));
        break;
      case 2:
        bits.setUint32(0, Math.floor(random() * 2 ** 32));
        bits.setUint32(4, Math.floor(random() * 2 ** 32));
        values.push(bits.getFloat64(0));
        break;
      default:
        values.push(Math.round(random() * 1e6) / 10 ** Math.floor(random() * 4));
    }
  }
  return values.filter((v) => !Number.isNaN(v));
}

describe("record text written by SQLite", () => {
  it("writes every odd stored value exactly as the JavaScript writers do, on either thread", async () => {
    const db = thingDatabase();
    const rows: Record<string, unknown>[] = [
      { n: 0, x: 0.1, s: "plain", b: 1, d: "2024-07-27T14:29:43.287+00:00", j: '{"a": [1, 2]}' },
      { n: -1, x: 0.30000000000000004, s: 'quote " backslash \\ slash /', b: 0, d: "2024-07-27T14:29:43.000+00:00" },
      { n: 2 ** 53 - 1, x: 1e-7, s: "tab\tnew\nline\r\u0001\u001f\u007f", b: 2, d: "2024-07-27T14:29:43.123456+00:00" },
      { n: "not a number", x: 1e21, s: "µ-wave Ω 測定 🧊 \u2028", b: null, d: "2024-07-27 14:29:43" },
      { n: 2.5, x: -0, s: "", b: "yes", d: "2024-07-27T16:29:43.5+02:00", j: "[]" },
      { n: null, x: 123456789012345.67, s: null, d: "2024-07-27T14:29:43+00:00" },
      { x: 4, d: "2024-07-27T14:29:43.100+00:00" },
      { x: 5e-324, d: "2024-07-27T14:29:43.000000+00:00" },
      { x: 1.7976931348623157e308 },
      { x: -299.985 },
      { x: 1e999 },
      { x: 0.0001 },
      { x: 0.00009999 },
      { x: 999999999999999.9 },
    ];
    const names = COLUMNS.map(([name]) => name);
    const insert = db.prepare(
      `INSERT INTO thing (${names.join(", ")}) VALUES (${names.map((n) => `@${n}`).join(", ")})`,
    );
    for (const row of rows) insert.run(Object.fromEntries(names.map((n) => [n, row[n] ?? null])));

    const expected = expectedRecords(db);
    const written = writtenRecords(db, 5);
    expect(written.pages).toBe(3);
    expect(written.document).toBe(expected.join(",\n"));
    expect(written.recordsDigest).toBe(digestOf(expected));
    // The values that exercise each path, spelled out: a broken writer cannot pass by agreeing with itself.
    expect(expected[0]).toContain(
      '"x_field":0.1,"s_field":"plain","b_field":true,"d_field":"2024-07-27T14:29:43.287Z"',
    );
    expect(expected[1]).toContain('"d_field":"2024-07-27T14:29:43Z"');
    expect(expected[2]).toContain('"x_field":1e-7');
    expect(expected[3]).toContain('"n_field":"not a number","x_field":1e+21');
    expect(expected[4]).toContain('"n_field":2.5,"x_field":0,');
    expect(expected[10]).toContain('"x_field":null');

    // On two threads: the first page holds datetimes only storedToIso can write, so it comes
    // back to the main thread; the third is the thread's own, its odd numbers included.
    expect(await writtenWithThread(db, 5)).toEqual({ document: expected.join(",\n"), onThread: 1 });
    db.close();
  });

  it("writes twenty thousand doubles of every kind as JSON.stringify does, on either thread", async () => {
    const db = thingDatabase();
    insertAll(db, "x", manyDoubles(20_000));
    const expected = expectedRecords(db);
    const written = writtenRecords(db, 1000);
    expect(written.document.split(",\n")).toEqual(expected);
    const shared = await writtenWithThread(db, 1000);
    expect(shared.document.split(",\n")).toEqual(expected);
    expect(shared.onThread).toBe(10);
    db.close();
  });

  it("writes the pages itself that the second thread hands back, as the thread would have", async () => {
    const db = thingDatabase();
    insertAll(
      db,
      "x",
      Array.from({ length: 50 }, (_, i) => i / 7),
    );
    const expected = expectedRecords(db).join(",\n");
    // A thread that stopped: every page it was given comes back.
    let handedBack = 0;
    const stopped: TextThread = {
      write: () => (handedBack++, Promise.reject(new NotOnThisThread("the text thread stopped (exit code 1)"))),
      close: () => undefined,
    };
    db.exec("BEGIN");
    let document = "";
    for await (const page of modelPages(db, [recordTextPlan(MODEL)], 0, 10, stopped))
      document += page.document.toString("utf8");
    db.exec("COMMIT");
    expect(document.slice(2)).toBe(expected);
    expect(handedBack).toBe(3);
    db.close();
  });

  it("feeds the records digest each record of a page and a newline after it, whatever the records hold", () => {
    const records = [
      '{"pk":1,"fields":{"s":"a, b,\\n c"}}',
      '{"pk":2,"fields":{"s":"μ-K 🧊 ,\\n"}}',
      '{"pk":3,"fields":{}}',
    ];
    const hashed = (page: string[]) => {
      const hash = createHash("sha256");
      hashPageRecords(hash, Buffer.from(page.map((r) => `,\n${r}`).join("")));
      return hash.digest("hex");
    };
    expect(hashed(records)).toBe(digestOf(records));
    expect(hashed(records.slice(2))).toBe(digestOf(records.slice(2)));
  });

  it("writes a page of nothing as no page at all", () => {
    const db = thingDatabase();
    expect(writtenRecords(db, 10)).toEqual({ document: "", recordsDigest: sha256(""), pages: 0 });
    db.close();
  });

  it("writes a model with no fields but its key, or only a list, as valid records", () => {
    const db = openSqlite(path.join(tempDir("labq-text-"), "bare.sqlite3"));
    db.exec("CREATE TABLE bare (id INTEGER PRIMARY KEY); CREATE TABLE tag_link (bare_id INTEGER, tag_id INTEGER)");
    db.exec("INSERT INTO bare (id) VALUES (1), (2); INSERT INTO tag_link VALUES (1, 7), (1, 3)");
    const bare: ModelSpec = { name: "Bare", label: "lab.Bare", table: "bare", columns: [pk], pk, manyToMany: [] };
    const listed: ModelSpec = {
      ...bare,
      manyToMany: [
        { django: "tags", table: "tag_link", ownColumn: "bare_id", targetColumn: "tag_id", target: "Tag" },
      ] as ModelSpec["manyToMany"],
    };
    const text = (model: ModelSpec) => {
      db.exec("BEGIN");
      try {
        return [...recordTextPages(db, recordTextPlan(model))]
          .map((p) => p.document.toString("utf8"))
          .join("")
          .slice(2);
      } finally {
        db.exec("COMMIT");
      }
    };
    expect(text(bare)).toBe('{"model":"lab.bare","pk":1,"fields":{}},\n{"model":"lab.bare","pk":2,"fields":{}}');
    expect(text(listed)).toBe(
      '{"model":"lab.bare","pk":1,"fields":{"tags":[3,7]}},\n{"model":"lab.bare","pk":2,"fields":{"tags":[]}}',
    );
    db.close();
  });
});
