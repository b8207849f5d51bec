// The text of a model's records, written by SQLite itself. One query per page of rows builds
// every record's JSON and hands back one byte string: the records each preceded by ",\n", as
// the document holds them, so a page is written out as SQLite returns it, never copied into a
// larger chunk (the records digest reads the same bytes: hashPageRecords). No row becomes
// JavaScript values on its way to the file, which is where a JavaScript serializer spent most
// of its time.
//
// Each column type has an SQL path for the values this app stores (text, integers, 0/1,
// canonical datetimes, whole-number floats) and otherwise calls the JavaScript writer below,
// so the text is exactly what that writer would produce. Other floats take the JavaScript
// path: JSON needs their shortest round-trip form, which SQLite's printf does not give.
import type { Hash } from "node:crypto";

import type { Statement } from "better-sqlite3";

import { DJANGO_ONLY_LIST_FIELDS, recordLabel } from "@/lib/backup/format/labels";
import type { ColumnSpec, ModelSpec, ScalarType } from "@/lib/backup/format/schema-model";
import { storedToIso } from "@/lib/backup/format/values";
import { quoteIdentifier as quote, type Sqlite } from "@/lib/db/sqlite";

export interface RecordTextPage {
  /** Records in the page, and the primary key of the last one. */
  count: number;
  last: number;
  /** UTF-8 records, each preceded by ",\n": the first page of a list drops the leading comma. */
  document: Buffer;
}

type ValueWriter = (value: unknown) => string;

/**
 * The JSON text of a stored value of each type: the reference the SQL paths must match (and
 * the text thread's copy of these writers, text-thread.ts).
 */
export const VALUE_WRITERS: Record<ScalarType, ValueWriter> = {
  Boolean: (v) => (v === null ? "null" : v ? "true" : "false"),
  DateTime: (v) => (v === null ? "null" : JSON.stringify(storedToIso(String(v)))),
  // Stored as JSON text by the decoder or Prisma: written as it is.
  Json: (v) => (v === null ? "null" : String(v)),
  // JSON's own number text (`4`, where Python writes `4.0`; Django reads both as 4.0), so that
  // re-serialising a parsed record gives the same text and the digest can be re-checked.
  Float: (v) => (v === null ? "null" : JSON.stringify(v)),
  Int: (v) => (v === null ? "null" : JSON.stringify(v)),
  String: (v) => JSON.stringify(v),
};

/** The SQL function through which a value SQL does not write itself reaches its JavaScript writer. */
export const WRITE_VALUE = "labq_json_value";

const STORED_DATETIME =
  "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]+00:00";

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** An SQL expression giving the JSON text of column `v` (a qualified column reference). */
function valueSql(type: ScalarType, v: string): string {
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

/**
 * The SQL expression of a whole record, `{"model":…,"pk":…,"fields":{…}}`, with the fields in
 * the schema's order (the original's declaration order) and many-to-many lists last, as
 * Django's serializer writes them. `m` is the model's table.
 */
function recordSql(model: ModelSpec): string {
  const column = (c: ColumnSpec) => `m.${quote(c.column)}`;
  const parts = [sqlText(`{"model":${JSON.stringify(recordLabel(model.label))},"pk":`), column(model.pk)];
  const fields = model.columns.filter((c) => c !== model.pk);
  fields.forEach((c, i) => {
    parts.push(sqlText(`${i === 0 ? ',"fields":{' : ","}${JSON.stringify(c.django)}:`), valueSql(c.type, column(c)));
  });
  if (fields.length === 0) parts.push(sqlText(',"fields":{'));
  model.manyToMany.forEach((rel, i) => {
    const separator = fields.length === 0 && i === 0 ? "" : ",";
    const targets = `SELECT group_concat(l.${quote(rel.targetColumn)}, ',' ORDER BY l.${quote(rel.targetColumn)}) FROM ${quote(rel.table)} AS l WHERE l.${quote(rel.ownColumn)} = ${column(model.pk)}`;
    parts.push(sqlText(`${separator}${JSON.stringify(rel.django)}:[`), `ifnull((${targets}), '')`, sqlText("]"));
  });
  const emptyLists = (DJANGO_ONLY_LIST_FIELDS[model.label] ?? []).map((name) => `,${JSON.stringify(name)}:[]`);
  parts.push(sqlText(`${emptyLists.join("")}}}`));
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
export function* keyRanges(db: Sqlite, model: ModelSpec, pageSize: number): Generator<KeyRange> {
  const pk = quote(model.pk.column);
  const next = db.prepare(`SELECT min(${pk}) FROM ${quote(model.table)} WHERE ${pk} > ?`).pluck();
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
export function pageSql(model: ModelSpec): string {
  const pk = `m.${quote(model.pk.column)}`;
  return `SELECT count(*) AS count, max(pk) AS last,
            CAST(',${"\n"}' || group_concat(record, ',${"\n"}') AS BLOB) AS document
     FROM (SELECT ${pk} AS pk, ${recordSql(model)} AS record
           FROM ${quote(model.table)} AS m WHERE ${pk} > ? AND ${pk} <= ? ORDER BY ${pk} LIMIT ?)`;
}

/**
 * Feeds the records digest a page's records, each followed by "\n" (format.ts), read out of
 * the page's document text, where each is preceded by ",\n" instead: the digest reads the
 * text between the commas, so each "\n" ends the record before it. A record never holds a
 * raw newline (JSON escapes it). Measured at 100k, a second text of each page built by SQLite
 * for the digest cost more time than these slices, and doubled the export's buffers.
 */
export function hashPageRecords(hash: Hash, document: Buffer): void {
  // The page opens with ",\n"; each later "\n" follows the comma that ends a record, and
  // starts the next slice, so that the digest reads it after that record.
  let start = 2;
  for (let newline = document.indexOf(NEWLINE, start); newline !== -1; newline = document.indexOf(NEWLINE, start + 1)) {
    hash.update(document.subarray(start, newline - 1));
    start = newline;
  }
  hash.update(document.subarray(start));
  hash.update(LAST_NEWLINE);
}

const NEWLINE = 0x0a;
const LAST_NEWLINE = Buffer.from("\n");

/** Lets SQLite hand the values it does not write itself to their JavaScript writers. */
export function registerValueWriters(db: Sqlite): void {
  db.function(WRITE_VALUE, { deterministic: true }, (type, value) => VALUE_WRITERS[type as ScalarType](value));
}

/** Writes one page of record text; null when the range holds no record. */
export function writePage(page: Statement, range: KeyRange, pageSize: number): RecordTextPage | null {
  const result = page.get(range.after, range.upTo, pageSize) as RecordTextPage;
  return result.count === 0 ? null : result;
}

/** Pages of a model's record text, `pageSize` records at most, inside the caller's read transaction. */
export function* recordTextPages(db: Sqlite, model: ModelSpec, pageSize = 1000): Generator<RecordTextPage> {
  registerValueWriters(db);
  const page = db.prepare(pageSql(model));
  for (const range of keyRanges(db, model, pageSize)) {
    const result = writePage(page, range, pageSize);
    if (result) yield result;
  }
}
