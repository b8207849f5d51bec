// The text of a table's records (a RecordTextPlan) on PostgreSQL: the rows come out as
// `COPY … TO STDOUT` text, the server's fastest way out (what pg_dump uses), and JavaScript
// writes each record, so the server and the writer work on two cores at once. Measured at 100k
// rows (200k notifications), records built in SQL cost the server 3× pg_dump's time for the
// table, and paging them through string_agg 5×; COPY's own text costs what pg_dump does.
//
// Columns are always named (PostgreSQL's column order is not SQLite's); the session's time zone
// is UTC and doubles are their shortest round-trip text (read.ts), so timestamps come out as
// UTC text to the microsecond and doubles as the digits JSON.stringify writes, never through a
// JavaScript Date; JSON comes out as stored.
import { to as copyTo } from "pg-copy-streams";

import { VALUE_WRITERS } from "@/lib/db/engine/json-values";
import type { RecordTextPage, RecordTextPart, RecordTextPlan, ValueType } from "@/lib/db/engine/types";
import type { Postgres } from "@/lib/db/postgres/connection";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";
import { storedToIso } from "@/lib/db/stored-datetime";

/** COPY's text form of a value: backslash escapes for the backslash and control characters. */
const COPY_ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };
function unescapeCopy(field: string): string {
  if (!field.includes("\\")) return field;
  return field.replace(/\\(.)/g, (_, c: string) => COPY_ESCAPES[c] ?? c);
}

/**
 * `2024-07-27 14:29:43.1234+00` (UTC, trailing zeros of the fraction left out) → the backup's
 * `2024-07-27T14:29:43.123400Z`: milliseconds when the microseconds are whole ones, none when
 * zero, as SQLite stores Prisma's and Django's times. Anything else (infinity, years past 9999)
 * goes through the stored-datetime reader, which names what it cannot read.
 */
function writeTimestamp(text: string): string {
  if (text.length < 22 || text[10] !== " " || !text.endsWith("+00")) return JSON.stringify(storedToIso(text));
  const seconds = text.slice(0, 19);
  const fraction = text.length > 22 ? text.slice(20, -3) : "";
  const digits = fraction.length === 0 ? "" : `.${fraction.padEnd(fraction.length <= 3 ? 3 : 6, "0")}`;
  return `"${seconds.slice(0, 10)}T${seconds.slice(11)}${digits}Z"`;
}

const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;

/**
 * A page's text, written byte by byte into one buffer: a value COPY already writes as JSON
 * does (integers, plain doubles, text without quotes, backslashes or control characters, JSON
 * without escapes) is copied across as it is, never decoded into a JavaScript string; only the
 * others are.
 */
class PageText {
  private buffer = Buffer.allocUnsafe(1 << 20);
  length = 0;

  private room(bytes: number) {
    if (this.length + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(larger, 0, 0, this.length);
    this.buffer = larger;
  }

  bytes(from: Buffer, start: number, end: number) {
    this.room(end - start);
    // Most values are a few bytes: a loop copies those faster than Buffer#copy's call.
    if (end - start > 32) {
      this.length += from.copy(this.buffer, this.length, start, end);
      return;
    }
    const buffer = this.buffer;
    let at = this.length;
    for (let i = start; i < end; i++) buffer[at++] = from[i]!;
    this.length = at;
  }

  /** Text known in advance (a record's constant parts), already encoded. */
  constant(bytes: Buffer) {
    this.bytes(bytes, 0, bytes.length);
  }

  text(text: string) {
    this.room(text.length * 3);
    this.length += this.buffer.write(text, this.length);
  }

  /** The page so far, as a buffer of its own; the builder starts again. */
  take(): Buffer {
    const page = Buffer.from(this.buffer.subarray(0, this.length));
    this.length = 0;
    return page;
  }
}

/** Writes a field's value (bytes start..end of a COPY line, never NULL) as JSON text. */
type FieldWriter = (out: PageText, line: Buffer, start: number, end: number) => void;

/** Whether bytes start..end hold any of the given bytes, or (with `control`) any below 0x20. */
function holds(line: Buffer, start: number, end: number, a: number, b: number, control: boolean): boolean {
  for (let i = start; i < end; i++) {
    const byte = line[i]!;
    if (byte === a || byte === b || (control && byte < 0x20)) return true;
  }
  return false;
}

const utf8 = (line: Buffer, start: number, end: number) => line.toString("utf8", start, end);
const TRUE = Buffer.from("true");
const FALSE = Buffer.from("false");
const QUOTE_MARK = Buffer.from('"');
const RECORD_SEPARATOR = Buffer.from(",\n");
const TIME_MARK = Buffer.from("T");
const ZERO = Buffer.from("0");
const UTC_END = Buffer.from('Z"');
const N = 0x4e;

/** A double in plain decimals (digits, a point, a leading minus), not -0: written as JSON.stringify would. */
function plainDecimal(line: Buffer, start: number, end: number): boolean {
  if (end - start === 2 && line[start] === 0x2d && line[start + 1] === 0x30) return false;
  for (let i = line[start] === 0x2d ? start + 1 : start; i < end; i++) {
    const byte = line[i]!;
    if ((byte < 0x30 || byte > 0x39) && byte !== 0x2e) return false;
  }
  return true;
}

const FIELD_WRITERS: Record<ValueType, FieldWriter> = {
  Int: (out, line, start, end) => out.bytes(line, start, end),
  Boolean: (out, line, start) => out.constant(line[start] === 0x74 ? TRUE : FALSE),
  // PostgreSQL's shortest round-trip digits: in plain decimals they are what JSON.stringify
  // writes; exponents, -0, NaN and infinities go through JSON.stringify (json-values.ts).
  Float: (out, line, start, end) => {
    if (plainDecimal(line, start, end)) out.bytes(line, start, end);
    else out.text(VALUE_WRITERS.Float(Number(utf8(line, start, end))));
  },
  String: (out, line, start, end) => {
    if (holds(line, start, end, QUOTE, BACKSLASH, true)) {
      out.text(JSON.stringify(unescapeCopy(utf8(line, start, end))));
      return;
    }
    out.constant(QUOTE_MARK);
    out.bytes(line, start, end);
    out.constant(QUOTE_MARK);
  },
  Json: (out, line, start, end) => {
    if (holds(line, start, end, BACKSLASH, BACKSLASH, false)) out.text(unescapeCopy(utf8(line, start, end)));
    else out.bytes(line, start, end);
  },
  DateTime: (out, line, start, end) => {
    const length = end - start;
    const usual =
      length >= 22 &&
      line[start + 10] === 0x20 &&
      line[end - 3] === 0x2b &&
      line[end - 2] === 0x30 &&
      line[end - 1] === 0x30 &&
      (length === 22 || line[start + 19] === 0x2e);
    if (!usual) return out.text(writeTimestamp(line.toString("latin1", start, end)));
    // The same text writeTimestamp makes, byte by byte: date, "T", time, the fraction padded.
    out.constant(QUOTE_MARK);
    out.bytes(line, start, start + 10);
    out.constant(TIME_MARK);
    out.bytes(line, start + 11, start + 19);
    const digits = length - 23;
    if (digits > 0) {
      out.bytes(line, start + 19, end - 3);
      for (let pad = (digits <= 3 ? 3 : 6) - digits; pad > 0; pad--) out.constant(ZERO);
    }
    out.constant(UTC_END);
  },
};

/** The SELECT whose rows COPY writes: the key, then one column per column or link part. */
function copySql(plan: RecordTextPlan): string {
  const key = `m.${quote(plan.key)}`;
  const columns = plan.parts.flatMap((part: RecordTextPart) => {
    if ("text" in part) return [];
    if ("column" in part) return [`m.${quote(part.column)}`];
    const { table, ownColumn, targetColumn } = part.links;
    const target = `l.${quote(targetColumn)}`;
    return [
      `(SELECT string_agg(${target}::text, ',' ORDER BY ${target}) FROM ${quote(table)} AS l WHERE l.${quote(ownColumn)} = ${key})`,
    ];
  });
  return `COPY (SELECT ${[key, ...columns].join(", ")} FROM ${quote(plan.table)} AS m ORDER BY ${key}) TO STDOUT`;
}

type Step = { text: Buffer } | { write: FieldWriter; empty: Buffer };
const NULL_TEXT = Buffer.from("null");
const NO_TEXT = Buffer.alloc(0);

/** Writes one record from a COPY line (bytes start..end, the key first); returns the key. */
function recordWriter(plan: RecordTextPlan): (out: PageText, line: Buffer, start: number, end: number) => number {
  const steps: Step[] = plan.parts.map((part) => {
    if ("text" in part) return { text: Buffer.from(part.text) };
    if ("column" in part) return { write: FIELD_WRITERS[part.type], empty: NULL_TEXT };
    return { write: FIELD_WRITERS.Int, empty: NO_TEXT };
  });
  return (out, line, start, end) => {
    let fieldEnd = line.indexOf(TAB, start);
    if (fieldEnd === -1 || fieldEnd > end) fieldEnd = end;
    const key = Number(line.toString("latin1", start, fieldEnd));
    out.constant(RECORD_SEPARATOR);
    for (const step of steps) {
      if ("text" in step) {
        out.constant(step.text);
        continue;
      }
      const fieldStart = fieldEnd + 1;
      fieldEnd = line.indexOf(TAB, fieldStart);
      if (fieldEnd === -1 || fieldEnd > end) fieldEnd = end;
      const isNull = fieldEnd - fieldStart === 2 && line[fieldStart] === BACKSLASH && line[fieldStart + 1] === N;
      if (isNull) out.constant(step.empty);
      else step.write(out, line, fieldStart, fieldEnd);
    }
    return key;
  };
}

/**
 * Pages of a table's record text, `pageSize` records at most, inside the caller's transaction.
 * A table that cannot be read fails alone: its COPY runs under a savepoint, so the transaction
 * (and its snapshot) goes on for the next table. A value that cannot be written fails the table
 * once COPY has ended, so the connection is never left part-way through one.
 */
export async function* recordTextPages(
  db: Postgres,
  plan: RecordTextPlan,
  pageSize: number,
): AsyncGenerator<RecordTextPage> {
  const write = recordWriter(plan);
  await db.query("SAVEPOINT labq_table");
  const stream = db.query(copyTo(copySql(plan)));
  let ended = false;
  let failed = true;
  let problem: unknown = null;
  try {
    const page = new PageText();
    let rest: Buffer | null = null;
    let count = 0;
    let last = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      // COPY sends a row at a time, but a chunk may end inside one: the tail waits for the next.
      const data: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
      const end = data.lastIndexOf(NEWLINE);
      rest = end === data.length - 1 ? null : data.subarray(end + 1);
      if (end === -1 || problem) continue;
      try {
        for (let start = 0; start < end;) {
          const lineEnd = data.indexOf(NEWLINE, start);
          last = write(page, data, start, lineEnd);
          start = lineEnd + 1;
          if (++count === pageSize) {
            yield { count, last, document: page.take() };
            count = 0;
          }
        }
      } catch (error) {
        // Read on to the end of COPY, then fail the table.
        problem = error;
      }
    }
    ended = true;
    if (problem) throw problem;
    if (count > 0) yield { count, last, document: page.take() };
    failed = false;
  } catch (error) {
    // The server's error ends COPY: the connection is ready for the rollback.
    ended = true;
    throw error;
  } finally {
    if (!ended) stream.destroy();
    // After a failure back to the savepoint; a COPY stopped part-way leaves the connection to be closed.
    else await db.query(failed ? "ROLLBACK TO SAVEPOINT labq_table" : "RELEASE SAVEPOINT labq_table");
  }
}
