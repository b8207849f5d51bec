// Values in PostgreSQL's COPY text format (https://www.postgresql.org/docs/15/sql-copy.html):
// one line per row, columns separated by a tab, NULL as \N, and a backslash, tab, newline or
// carriage return inside a value escaped with a backslash. Everything else goes through as
// it is: the server parses each column's text as its type does for a literal, so a stored
// datetime (`2024-01-02T03:04:05.678901+00:00`) keeps its microseconds in timestamptz(6),
// JSON text keeps its key order in json, and 0/1 are read as false/true by boolean.
export type CopyValue = string | number | bigint | boolean | null | undefined;

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One value as a COPY text column. */
export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "string") {
    // Most values need no escape: testing first is faster than replacing every time.
    return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (c) => ESCAPES[c]!) : value;
  }
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number" && !Number.isFinite(value)) {
    // float8 reads these words; a JavaScript "Infinity" it would refuse.
    return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
  }
  return String(value);
}

/** One row as a COPY text line, newline included. */
export function copyLine(values: readonly CopyValue[]): string {
  let line = "";
  for (let i = 0; i < values.length; i++) line += (i === 0 ? "" : "\t") + copyField(values[i]);
  return `${line}\n`;
}
