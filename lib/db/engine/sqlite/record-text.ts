// The text of a table's records (a RecordTextPlan), written by SQLite itself. One query per
// page of rows builds every record's JSON and hands back one byte string: the records each
// preceded by ",\n", as the document holds them, so a page is written out as SQLite returns
// it, never copied into a larger chunk (the records digest reads the same bytes:
// hashPageRecords in lib/backup/export). No row becomes JavaScript values on its way to the
// file, which is where a JavaScript serializer spent most of its time.
//
// Each column type has an SQL path for the values this app stores (text, integers, 0/1,
// canonical datetimes, whole-number floats) and otherwise calls the JavaScript writer
// (json-values.ts), so the text is exactly what that writer would produce. Other floats take
// the JavaScript path: JSON needs their shortest round-trip form, which SQLite's printf does
// not give.
import type { Statement } from "better-sqlite3";

import { VALUE_WRITERS } from "@/lib/db/engine/json-values";
import type { RecordTextPage, RecordTextPlan, ValueType } from "@/lib/db/engine/types";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";
import { type Sqlite } from "@/lib/db/sqlite";

/** The SQL function through which a value SQL does not write itself reaches its JavaScript writer. */
export const WRITE_VALUE = "labq_json_value";

const STORED_DATETIME =
  "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]+00:00";

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** An SQL expression giving the JSON text of column `v` (a qualified column reference). */
function valueSql(type: ValueType, v: string): string {
  const fallback = `${WRITE_VALUE}('${type}', ${v})`;
  switch (type) {
    case "Int":
      return `CASE typeof(${v}) WHEN 'integer' THEN ${v} WHEN 'null' THEN 'null' ELSE ${fallback} END`;
    case "Boolean":
      return `CASE typeof(${v}) WHEN 'integer' THEN iif(${v}, 'true', 'false') WHEN 'null' THEN 'null' ELSE ${fallback} END`;
    case "String":
      return `CASE typeof(${v}) WHEN 'text' THEN json_quote(${v}) WHEN 'null' THEN 'null' ELSE ${fallback} END`;
    case "Json":
      return `CASE typeof(${v}) WHEN 'text' THEN ${v} WHEN 'null' THEN 'null' ELSE ${fallback} END`;
    case "Float":
      // Whole numbers (0, 12: most of the lab's settings) in SQL; any other double through
      // JSON.stringify, whose shortest round-trip text SQLite cannot write (its printf needs a
      // second pass to check, which measured slower than the call into JavaScript).
      return `CASE WHEN ${v} IS NULL THEN 'null' WHEN typeof(${v}) = 'real' AND abs(${v}) < 1e15 AND ${v} = CAST(${v} AS INTEGER) THEN CAST(${v} AS INTEGER) ELSE ${fallback} END`;
    case "DateTime":
      // The stored form `2024-07-27T14:29:43.287+00:00` is written `2024-07-27T14:29:43.287Z`,
      // or `…:43Z` when the fraction is zero, as storedToIso does; other forms go to it.
      return `CASE WHEN ${v} IS NULL THEN 'null' WHEN ${v} GLOB '${STORED_DATETIME}' THEN '"' || substr(${v}, 1, iif(substr(${v}, 21, 3) = '000', 19, 23)) || 'Z"' ELSE ${fallback} END`;
  }
}

/** The SQL expression of a whole record, piece by piece as the plan says. `m` is the table. */
function recordSql(plan: RecordTextPlan): string {
  const parts = plan.parts.map((part) => {
    if ("text" in part) return sqlText(part.text);
    if ("column" in part) return valueSql(part.type, `m.${quote(part.column)}`);
    const { table, ownColumn, targetColumn } = part.links;
    const targets = `SELECT group_concat(l.${quote(targetColumn)}, ',' ORDER BY l.${quote(targetColumn)}) FROM ${quote(table)} AS l WHERE l.${quote(ownColumn)} = m.${quote(plan.key)}`;
    return `ifnull((${targets}), '')`;
  });
  return `concat(${parts.join(", ")})`;
}

/** A page: the records whose primary key is in (after, upTo]. */
export interface KeyRange {
  after: number;
  upTo: number;
}

/**
 * A model's pages as key ranges, each starting at the next key that exists and `pageSize`
 * keys wide, so a page holds at most `pageSize` records and gaps in the keys cost one seek.
 * Ranges rather than "the next n after k" so that a page can be written by any connection
 * on the same snapshot without the one before it (text-thread.ts).
 */
export function* keyRanges(db: Sqlite, plan: RecordTextPlan, pageSize: number): Generator<KeyRange> {
  const pk = quote(plan.key);
  const next = db.prepare(`SELECT min(${pk}) FROM ${quote(plan.table)} WHERE ${pk} > ?`).pluck();
  for (let upTo = Number.MIN_SAFE_INTEGER; ;) {
    const first = next.get(upTo) as number | null;
    if (first === null) return;
    yield { after: first - 1, upTo: (upTo = first - 1 + pageSize) };
  }
}

/**
 * The query writing one page's record text, with parameters (after, upTo, pageSize). The
 * aggregate reads the subquery's rows in its ORDER BY order (an ORDER BY inside group_concat
 * would sort each page a second time, a third of the export's time); the LIMIT, never
 * reached, keeps SQLite from folding the subquery into the aggregate and building each
 * record twice.
 */
export function pageSql(plan: RecordTextPlan): string {
  const pk = `m.${quote(plan.key)}`;
  return `SELECT count(*) AS count, max(pk) AS last,
            CAST(',${"\n"}' || group_concat(record, ',${"\n"}') AS BLOB) AS document
     FROM (SELECT ${pk} AS pk, ${recordSql(plan)} AS record
           FROM ${quote(plan.table)} AS m WHERE ${pk} > ? AND ${pk} <= ? ORDER BY ${pk} LIMIT ?)`;
}

/** Lets SQLite hand the values it does not write itself to their JavaScript writers. */
export function registerValueWriters(db: Sqlite): void {
  db.function(WRITE_VALUE, { deterministic: true }, (type, value) => VALUE_WRITERS[type as ValueType](value));
}

/** Writes one page of record text; null when the range holds no record. */
export function writePage(page: Statement, range: KeyRange, pageSize: number): RecordTextPage | null {
  const result = page.get(range.after, range.upTo, pageSize) as RecordTextPage;
  return result.count === 0 ? null : result;
}

/** Pages of a table's record text, `pageSize` records at most, inside the caller's read transaction. */
export function* recordTextPages(db: Sqlite, plan: RecordTextPlan, pageSize = 1000): Generator<RecordTextPage> {
  registerValueWriters(db);
  const page = db.prepare(pageSql(plan));
  for (const range of keyRanges(db, plan, pageSize)) {
    const result = writePage(page, range, pageSize);
    if (result) yield result;
  }
}
