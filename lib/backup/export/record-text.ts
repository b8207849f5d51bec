// A backup record's text as the engines write it: this file says what a record is (Django's
// serializer's shape: model label, pk, the fields in the schema's order, many-to-many lists
// last, the original's lists we do not keep as empty ones), as a RecordTextPlan; the engine
// (lib/db/engine) writes the values and hands back pages of record text.
import type { Hash } from "node:crypto";

import { DJANGO_ONLY_LIST_FIELDS, recordLabel } from "@/lib/backup/format/labels";
import type { ModelSpec } from "@/lib/backup/format/schema-model";
import type { RecordTextPart, RecordTextPlan } from "@/lib/db/engine";

/** `{"model":…,"pk":…,"fields":{…}}` for each row of the model's table. */
export function recordTextPlan(model: ModelSpec): RecordTextPlan {
  const parts: RecordTextPart[] = [
    { text: `{"model":${JSON.stringify(recordLabel(model.label))},"pk":` },
    { column: model.pk.column, type: model.pk.type },
  ];
  const fields = model.columns.filter((c) => c !== model.pk);
  fields.forEach((c, i) => {
    parts.push(
      { text: `${i === 0 ? ',"fields":{' : ","}${JSON.stringify(c.django)}:` },
      { column: c.column, type: c.type },
    );
  });
  if (fields.length === 0) parts.push({ text: ',"fields":{' });
  model.manyToMany.forEach((rel, i) => {
    const separator = fields.length === 0 && i === 0 ? "" : ",";
    parts.push({ text: `${separator}${JSON.stringify(rel.django)}:[` });
    parts.push({ links: { table: rel.table, ownColumn: rel.ownColumn, targetColumn: rel.targetColumn } });
    parts.push({ text: "]" });
  });
  const emptyLists = (DJANGO_ONLY_LIST_FIELDS[model.label] ?? []).map((name) => `,${JSON.stringify(name)}:[]`);
  parts.push({ text: `${emptyLists.join("")}}}` });
  return { table: model.table, key: model.pk.column, parts };
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
