// The text of a table's records (a RecordTextPlan) on PostgreSQL, written by the server: one
// query per page of rows builds every record's JSON and hands back the page as one string,
// the records each preceded by ",\n" (types.ts). Columns are always named (PostgreSQL's
// column order is not SQLite's), and timestamps and JSON are written as text by the server,
// never through a JavaScript Date or a parsed object, so microseconds and key order survive.
//
// Doubles: whole numbers and those PostgreSQL writes in plain decimals (1e-4 ≤ |x| < 1e15)
// read the same as JavaScript's JSON.stringify (both write the shortest round-trip digits).
// Any other double (exponents, NaN, infinities) makes its record NULL in SQL, and the page is
// then written again here with JSON.stringify for those values: the text is always what
// json-values.ts says.
import { VALUE_WRITERS } from "@/lib/db/engine/json-values";
import type { RecordTextPage, RecordTextPart, RecordTextPlan, ValueType } from "@/lib/db/engine/types";
import type { Postgres } from "@/lib/db/postgres/connection";
import { quoteIdentifier as quote } from "@/lib/db/sqlite";

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Timestamps as written: UTC, microseconds, then trimmed to milliseconds or none when they are zero. */
function dateTimeSql(v: string): string {
  const full = `to_char(${v} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
  return `CASE WHEN ${v} IS NULL THEN 'null' ELSE '"' || (SELECT CASE WHEN right(t, 6) = '000000' THEN left(t, 19) WHEN right(t, 3) = '000' THEN left(t, 23) ELSE t END FROM (SELECT ${full} AS t) AS f) || 'Z"' END`;
}

/** An SQL expression of the JSON text of column `v`; for a double SQL does not write, NULL. */
function valueSql(type: ValueType, v: string): string {
  switch (type) {
    case "Int":
      return `coalesce(${v}::text, 'null')`;
    case "Boolean":
      return `CASE WHEN ${v} IS NULL THEN 'null' WHEN ${v} THEN 'true' ELSE 'false' END`;
    case "String":
      return `coalesce(to_json(${v})::text, 'null')`;
    case "Json":
      return `coalesce(${v}::text, 'null')`;
    case "Float":
      return `CASE WHEN ${v} IS NULL THEN 'null' WHEN abs(${v}) < 1e15 AND ${v} = trunc(${v}) THEN trunc(${v})::bigint::text WHEN abs(${v}) >= 1e-4 AND abs(${v}) < 1e15 THEN ${v}::text END`;
    case "DateTime":
      return dateTimeSql(v);
  }
}

function linksSql(plan: RecordTextPlan, part: Extract<RecordTextPart, { links: unknown }>): string {
  const { table, ownColumn, targetColumn } = part.links;
  const target = `l.${quote(targetColumn)}`;
  return `coalesce((SELECT string_agg(${target}::text, ',' ORDER BY ${target}) FROM ${quote(table)} AS l WHERE l.${quote(ownColumn)} = m.${quote(plan.key)}), '')`;
}

/** Each part's SQL: constant text, a value's JSON text, or the linked keys. */
function partSql(plan: RecordTextPlan, part: RecordTextPart, rawFloats: boolean): string {
  if ("text" in part) return sqlText(part.text);
  if ("links" in part) return linksSql(plan, part);
  const column = `m.${quote(part.column)}`;
  // The JavaScript path reads a double as PostgreSQL's shortest round-trip text.
  if (rawFloats && part.type === "Float") return `${column}::text`;
  return valueSql(part.type, column);
}

/**
 * The query writing the page of records with keys after $1, at most $2 of them: how many,
 * the last key, how many SQL could write, and the text (records each preceded by ",\n").
 */
export function pageSql(plan: RecordTextPlan): string {
  const pk = `m.${quote(plan.key)}`;
  const record = plan.parts.map((p) => partSql(plan, p, false)).join(" || ");
  return `SELECT count(*)::int AS count, max(pk) AS last, count(record)::int AS written,
            E',\\n' || string_agg(record, E',\\n' ORDER BY pk) AS document
     FROM (SELECT ${pk} AS pk, ${record} AS record
           FROM ${quote(plan.table)} AS m WHERE ${pk} > $1::bigint ORDER BY ${pk} LIMIT $2) AS page`;
}

/** The query of the JavaScript path: each part's text in a column of its own, doubles raw, keys in (after, upTo]. */
function partsSql(plan: RecordTextPlan): string {
  const pk = `m.${quote(plan.key)}`;
  const columns = plan.parts.filter((p) => !("text" in p)).map((p) => partSql(plan, p, true));
  return `SELECT ${columns.join(", ")} FROM ${quote(plan.table)} AS m WHERE ${pk} > $1::bigint AND ${pk} <= $2::bigint ORDER BY ${pk}`;
}

const writeFloat = (text: string | null) => VALUE_WRITERS.Float(text === null ? null : Number(text));

/** The page of records with keys in (after, upTo], written here: for pages holding doubles SQL does not write. */
export async function writePageInJs(
  db: Postgres,
  plan: RecordTextPlan,
  after: number,
  upTo: number,
): Promise<RecordTextPage> {
  const { rows } = await db.query<(string | null)[]>({ text: partsSql(plan), values: [after, upTo], rowMode: "array" });
  const writers = plan.parts.map((p) => {
    if ("text" in p) return null;
    return "column" in p && p.type === "Float" ? writeFloat : (v: string | null) => v!;
  });
  let document = "";
  for (const row of rows) {
    let record = "";
    let at = 0;
    plan.parts.forEach((part, i) => (record += "text" in part ? part.text : writers[i]!(row[at++] ?? null)));
    document += `,\n${record}`;
  }
  return { count: rows.length, last: upTo, document: Buffer.from(document) };
}

interface PageRow {
  count: number;
  last: number | null;
  written: number;
  document: string | null;
}

/**
 * Pages of a table's record text, `pageSize` records at most, inside the caller's transaction.
 * The next page is asked for as soon as a page arrives, so the server builds it while the
 * caller hashes and writes the one before. A table that cannot be read fails alone: its
 * queries run under a savepoint, so the transaction (and its snapshot) goes on for the next.
 */
export async function* recordTextPages(
  db: Postgres,
  plan: RecordTextPlan,
  pageSize: number,
): AsyncGenerator<RecordTextPage> {
  // A named statement: the server plans it once per connection, not once per page.
  const query = { name: `labq_page_${plan.table}`, text: pageSql(plan) };
  const ask = (after: number) => {
    const asked = db.query<PageRow>({ ...query, values: [after, pageSize] });
    // A page asked for ahead and never awaited (the export stopped) must not become an unhandled rejection.
    asked.catch(() => undefined);
    return asked;
  };
  await db.query("SAVEPOINT labq_table");
  let failed = true;
  try {
    let after = Number.MIN_SAFE_INTEGER;
    let pending = ask(after);
    for (;;) {
      const row = (await pending).rows[0]!;
      if (row.count === 0) break;
      const last = row.last!;
      // Asked before this page is handed on: a full page may have more after it.
      if (row.count === pageSize) pending = ask(last);
      if (row.written === row.count) yield { count: row.count, last, document: Buffer.from(row.document!) };
      else yield await writePageInJs(db, plan, after, last);
      if (row.count < pageSize) break;
      after = last;
    }
    failed = false;
  } finally {
    // After a failure (or a stop part-way, with a page perhaps still asked for) back to the savepoint.
    await db.query(failed ? "ROLLBACK TO SAVEPOINT labq_table" : "RELEASE SAVEPOINT labq_table").catch(() => undefined);
  }
}
