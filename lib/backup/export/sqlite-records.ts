// Reads backed-up tables as Django-shaped record objects, a page at a time by primary key:
// how a SQLite snapshot is verified and restored. (The export writes record text in SQL:
// record-text.ts and lib/db/engine.)
import { recordLabel } from "@/lib/backup/format/labels";
import type { ModelSpec } from "@/lib/backup/format/schema-model";
import { storedToIso } from "@/lib/backup/format/values";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";
import { type Sqlite } from "@/lib/db/sqlite";

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
