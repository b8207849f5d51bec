// Reads backed-up tables as Django-shaped records, a page at a time by primary key.
// Used by the export (as JSON text) and by restores from a SQLite snapshot (as objects).
import { DJANGO_ONLY_LIST_FIELDS, recordLabel } from "@/lib/backup/format/labels";
import type { ColumnSpec, ModelSpec } from "@/lib/backup/format/schema-model";
import { storedToIso } from "@/lib/backup/format/values";
import { quoteIdentifier as quote, type Sqlite } from "@/lib/db/sqlite";

export interface DjangoRecord {
  model: string;
  pk: number;
  fields: Record<string, unknown>;
}

type Row = unknown[];
export interface RecordPage {
  rows: Row[];
  /** Per row, per many-to-many relation: the linked pks. */
  links: number[][][];
}

/** Builds record objects from rows (restores from a SQLite snapshot read them this way). */
export function recordBuilder(model: ModelSpec): (row: Row, links: number[][]) => DjangoRecord {
  const pkIndex = model.columns.indexOf(model.pk);
  const converters = model.columns.map((c): ((v: unknown) => unknown) => {
    switch (c.type) {
      case "Boolean":
        return (v) => (v === null ? null : v !== 0);
      case "DateTime":
        return (v) => (v === null ? null : storedToIso(String(v)));
      case "Json":
        return (v) => (v === null ? null : JSON.parse(String(v)));
      default:
        return (v) => v;
    }
  });
  const names = model.columns.map((c) => c.django);
  const label = recordLabel(model.label);
  return (row, links) => {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < row.length; i++) if (i !== pkIndex) fields[names[i]!] = converters[i]!(row[i]);
    model.manyToMany.forEach((rel, i) => (fields[rel.django] = links[i]));
    return { model: label, pk: row[pkIndex] as number, fields };
  };
}

type ValueWriter = (value: unknown) => string;

function writerFor(column: ColumnSpec): ValueWriter {
  switch (column.type) {
    case "Boolean":
      return (v) => (v === null ? "null" : v ? "true" : "false");
    case "DateTime":
      return (v) => (v === null ? "null" : `"${storedToIso(String(v))}"`);
    // Stored as JSON text by the decoder or Prisma: written as it is.
    case "Json":
      return (v) => (v === null ? "null" : String(v));
    // JSON's own number text (`4`, where Python writes `4.0`; Django reads both as 4.0), so that
    // re-serialising a parsed record gives the same text and the digest can be re-checked.
    case "Float":
    case "Int":
      return (v) => (v === null ? "null" : JSON.stringify(v));
    case "String":
      return (v) => JSON.stringify(v);
  }
}

/**
 * Writes a row as the JSON text of a Django record, with the fields in the schema's order
 * (the original's declaration order), many-to-many lists last, as Django's serializer does.
 * Generated once per model: no intermediate object, no generic JSON.stringify of a record.
 */
export function recordSerializer(model: ModelSpec): (row: Row, links: number[][]) => string {
  const pkIndex = model.columns.indexOf(model.pk);
  const head = `{"model":${JSON.stringify(recordLabel(model.label))},"pk":`;
  const fields = model.columns
    .map((c, index) => ({ index, key: `${JSON.stringify(c.django)}:`, write: writerFor(c) }))
    .filter((f) => f.index !== pkIndex);
  const lists = model.manyToMany.map((rel) => `,${JSON.stringify(rel.django)}:`);
  const emptyLists = (DJANGO_ONLY_LIST_FIELDS[model.label] ?? []).map((name) => `,${JSON.stringify(name)}:[]`).join("");
  return (row, links) => {
    let text = `${head}${row[pkIndex] as number},"fields":{`;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      text += (i === 0 ? f.key : `,${f.key}`) + f.write(row[f.index]);
    }
    for (let i = 0; i < lists.length; i++) text += `${lists[i]}[${links[i]!.join(",")}]`;
    return `${text}${emptyLists}}}`;
  };
}

export function* recordPages(db: Sqlite, model: ModelSpec, pageSize = 1000): Generator<RecordPage> {
  const columns = model.columns.map((c) => quote(c.column)).join(", ");
  const pk = quote(model.pk.column);
  const page = db.prepare(`SELECT ${columns} FROM ${quote(model.table)} WHERE ${pk} > ? ORDER BY ${pk} LIMIT ?`).raw();
  const linkQueries = model.manyToMany.map((rel) =>
    db
      .prepare(
        `SELECT ${quote(rel.ownColumn)}, ${quote(rel.targetColumn)} FROM ${quote(rel.table)} WHERE ${quote(rel.ownColumn)} BETWEEN ? AND ? ORDER BY 1, 2`,
      )
      .raw(),
  );
  const pkIndex = model.columns.indexOf(model.pk);
  let after = 0;
  for (;;) {
    const rows = page.all(after, pageSize) as Row[];
    if (rows.length === 0) return;
    const first = rows[0]![pkIndex] as number;
    const last = rows.at(-1)![pkIndex] as number;
    const linksByRelation = linkQueries.map((q) => {
      const byOwner = new Map<number, number[]>();
      for (const [own, target] of q.all(first, last) as [number, number][]) {
        const list = byOwner.get(own);
        if (list) list.push(target);
        else byOwner.set(own, [target]);
      }
      return byOwner;
    });
    yield { rows, links: rows.map((r) => linksByRelation.map((byOwner) => byOwner.get(r[pkIndex] as number) ?? [])) };
    after = last;
  }
}
