// Record checks: each record decoded against its model's schema (record-schema.ts), then
// checked against the records before it: a primary key seen twice, a unique value shared
// (a one-to-one clash when that value is a reference), a many-to-many list naming the same
// record twice. Its references are handed to reference tracking.
import {
  createRecordDecoder,
  type DecodedRecord,
  type DecodeNotes,
  type RecordDecoder,
} from "@/lib/backup/format/record-schema";
import { modelByName, type ModelSpec } from "@/lib/backup/format/schema-model";
import type { IdSet } from "@/lib/backup/verify/id-set";
import type { Problems } from "@/lib/backup/verify/problems";
import type { References } from "@/lib/backup/verify/references";

/** The model whose records are being read, with what checks them. */
export interface ModelInProgress {
  model: ModelSpec;
  decoder: RecordDecoder;
  /** Its primary keys seen so far. */
  pks: IdSet;
  notes: DecodeNotes;
}

export class RecordChecks {
  private readonly decoders = new Map<string, RecordDecoder>();
  /** Per `label.field` of a unique column: the pk of the record holding each value. */
  private readonly uniques = new Map<string, Map<unknown, number>>();

  constructor(
    private readonly problems: Problems,
    private readonly references: References,
  ) {}

  /** Begins reading `model`'s records (again, when its label appears twice). */
  start(model: ModelSpec, notes: DecodeNotes): ModelInProgress {
    let decoder = this.decoders.get(model.label);
    if (!decoder) this.decoders.set(model.label, (decoder = createRecordDecoder(model)));
    return { model, decoder, pks: this.references.keysOf(model.label), notes };
  }

  /** The record decoded, when it passes; null when it does not (the problem is recorded). */
  check(current: ModelInProgress, value: unknown, position: number): DecodedRecord | null {
    const { label } = current.model;
    const result = current.decoder.decode(value, current.notes);
    if (!result.ok) {
      const pk = (value as { pk?: unknown } | null)?.pk;
      this.problems.record(`${label} record ${typeof pk === "number" ? `pk ${pk}` : `#${position}`}: ${result.error}`);
      return null;
    }
    const { pk } = result.value;
    if (current.pks.has(pk)) {
      this.problems.record(`${label}: primary key ${pk} appears more than once.`);
      return null;
    }
    current.pks.add(pk);
    this.checkLinks(current.model, result.value);
    return result.value;
  }

  private checkLinks(model: ModelSpec, record: DecodedRecord): void {
    model.columns.forEach((column, i) => {
      const value = record.params[i];
      if (value === null || value === undefined) return;
      if (column.unique && !column.isId) this.checkUnique(model, column, record.pk, value);
      if (column.references)
        this.references.reference(
          model.label,
          column.django,
          modelByName(column.references).label,
          record.pk,
          value as number,
        );
    });
    model.manyToMany.forEach((rel, i) => {
      const targets = record.links[i]!;
      if (new Set(targets).size !== targets.length) {
        this.problems.record(`${model.label} pk ${record.pk}: ${rel.django} lists the same pk twice.`);
      }
      const target = modelByName(rel.target).label;
      for (const t of targets) this.references.reference(model.label, rel.django, target, record.pk, t);
    });
  }

  private checkUnique(model: ModelSpec, column: ModelSpec["columns"][number], pk: number, value: unknown): void {
    const key = `${model.label}.${column.django}`;
    const seen = this.uniques.get(key) ?? new Map<unknown, number>();
    this.uniques.set(key, seen);
    const other = seen.get(value);
    if (other === undefined) {
      seen.set(value, pk);
      return;
    }
    const what = column.references
      ? `one-to-one clash: both pk ${other} and pk ${pk} belong to ${column.django} ${String(value)}`
      : `pk ${other} and pk ${pk} share ${column.django} ${JSON.stringify(value)}, which must be unique`;
    this.problems.record(`${model.label}: ${what}.`);
  }
}
