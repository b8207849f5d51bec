// Decodes a backup record into INSERT parameters the way Django's own loader reads it:
// each value goes through the rules of its field's `to_python` (Django 4.2), so whatever
// the original app could load loads here too, and nothing else does.
//
//   text      a string as is; true/false → "True"/"False", a number → its text (noted)
//   integer   an integer; "12", true/false and a float's whole part, as Python's int() (noted)
//   float     a number; "1.5" and true/false, as Python's float() (noted)
//   boolean   true/false; 1/0, "t"/"f", "True"/"False", "1"/"0" (noted)
//   datetime  an ISO 8601 string (see values.ts)
//   JSON      anything
//
// A field the record lacks takes the model's default (older files lack newer fields; an
// automatic timestamp has none, as in Django), a value outside the field's choices loads
// unchanged (Django does not enforce them), and a field this app does not have is reported
// so the caller can refuse to drop it silently.
// Hand-written checks instead of zod: this runs for every record of a restore.
import { DJANGO_ONLY_LIST_FIELDS, sameDjangoModel } from "@/lib/backup/format/labels";
import type { ColumnSpec, ModelSpec } from "@/lib/backup/format/schema-model";
import { storedNow, toStoredDateTime, type SqlValue } from "@/lib/backup/format/values";

export type NoteKind = "converted" | "outside-choices" | "default";

/** Receives what a decode noticed; the validator counts it per field. */
export interface DecodeNotes {
  /** `category` groups alike notes ("boolean → text"); `example` shows one of them. */
  note(field: string, kind: NoteKind, category: string, example: string): void;
  /** A field this app does not keep (or a Django-only list that is not empty). */
  unknownField(field: string, value: unknown): void;
}

export interface DecodedRecord {
  pk: number;
  /** INSERT parameters in `model.columns` order (pk included). */
  params: SqlValue[];
  /** Per many-to-many relation (in `model.manyToMany` order), the target pks. */
  links: number[][];
}

export type DecodeResult = { ok: true; value: DecodedRecord } | { ok: false; error: string };

export interface RecordDecoder {
  model: ModelSpec;
  decode(record: unknown, notes?: DecodeNotes): DecodeResult;
}

class DecodeError extends Error {}

const IGNORE_NOTES: DecodeNotes = { note() {}, unknownField() {} };

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "boolean") return "boolean";
  return typeof value === "number" ? "number" : "text";
}

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
const FLOAT_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** Python's str() of a JSON scalar, as Django's CharField.to_python stores it. */
function pythonText(value: boolean | number): string {
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}

type Convert = (value: unknown, field: string, notes: DecodeNotes) => SqlValue;

function converted(notes: DecodeNotes, field: string, value: unknown, to: string, stored: SqlValue): SqlValue {
  notes.note(field, "converted", `${typeName(value)} → ${to}`, `${show(value)} → ${show(stored)}`);
  return stored;
}

const toText: Convert = (value, field, notes) => {
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "number")
    return converted(notes, field, value, "text", pythonText(value));
  throw new DecodeError(`${field}: expected text, got ${typeName(value)}`);
};

const toInteger: Convert = (value, field, notes) => {
  if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  if (typeof value === "boolean") return converted(notes, field, value, "integer", value ? 1 : 0);
  if (typeof value === "number" && Number.isFinite(value) && Number.isSafeInteger(Math.trunc(value))) {
    return converted(notes, field, value, "integer", Math.trunc(value));
  }
  if (typeof value === "string" && INTEGER_TEXT.test(value) && Number.isSafeInteger(Number(value))) {
    return converted(notes, field, value, "integer", Number(value));
  }
  throw new DecodeError(`${field}: expected a whole number, got ${show(value)}`);
};

const toFloat: Convert = (value, field, notes) => {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return converted(notes, field, value, "number", value ? 1 : 0);
  if (typeof value === "string" && FLOAT_TEXT.test(value) && Number.isFinite(Number(value))) {
    return converted(notes, field, value, "number", Number(value));
  }
  throw new DecodeError(`${field}: expected a number, got ${show(value)}`);
};

const TRUE_TEXT = new Set(["t", "True", "1"]);
const FALSE_TEXT = new Set(["f", "False", "0"]);

const toBoolean: Convert = (value, field, notes) => {
  if (value === true || value === false) return value ? 1 : 0;
  // Python's `value in (True, False)` holds for 1 and 0 too.
  if (value === 1 || value === 0) return converted(notes, field, value, "boolean", value);
  if (typeof value === "string" && TRUE_TEXT.has(value)) return converted(notes, field, value, "boolean", 1);
  if (typeof value === "string" && FALSE_TEXT.has(value)) return converted(notes, field, value, "boolean", 0);
  throw new DecodeError(`${field}: expected true or false, got ${show(value)}`);
};

const toDateTime: Convert = (value, field) => {
  const stored = typeof value === "string" ? toStoredDateTime(value) : null;
  if (stored === null) throw new DecodeError(`${field}: not a valid date and time: ${show(value)}`);
  return stored;
};

const toJson: Convert = (value) => JSON.stringify(value);

const CONVERTERS: Record<ColumnSpec["type"], Convert> = {
  String: toText,
  Int: toInteger,
  Float: toFloat,
  Boolean: toBoolean,
  DateTime: toDateTime,
  Json: toJson,
};

type Encoder = (value: unknown, notes: DecodeNotes) => SqlValue;

/**
 * What a missing field becomes, as Django's model defaults fill it: the schema's default,
 * "now" for a `timezone.now` default, "" for text. An automatic timestamp gets none: the
 * loader saves records raw, so Django refuses a record without it (NOT NULL).
 */
function fallbackFor(column: ColumnSpec): (() => SqlValue) | null {
  if (column.djangoAuto) return null;
  if (column.updatedAt || column.default.kind === "now") return storedNow;
  if (column.default.kind === "value") {
    const value = column.default.value;
    const stored = typeof value === "boolean" ? Number(value) : value;
    return () => stored;
  }
  if (column.nullable || column.type === "Json") return () => null;
  if (column.type === "String") return () => "";
  return null;
}

function encoderFor(column: ColumnSpec): Encoder {
  const field = column.django;
  const convert = CONVERTERS[column.type];
  const fallback = fallbackFor(column);
  const choices = column.choices ? new Set(column.choices) : null;
  // A field left at its default ("" for a security question nobody chose) is unset, not a value
  // outside the choices: this app's own accounts, and many of the original's, hold it.
  if (choices && column.default.kind === "value") choices.add(column.default.value as string);
  const nullable = column.nullable || column.type === "Json";
  const defaultText =
    fallback === storedNow
      ? "the time of the restore"
      : column.default.kind === "value"
        ? show(column.default.value)
        : fallback
          ? show(fallback())
          : "";
  const missingWhy = column.djangoAuto
    ? "missing, and a backup must carry it (it is set when a record is saved, not when a backup is loaded)"
    : "missing, and it has no default";
  return (value, notes) => {
    if (value === undefined) {
      if (!fallback) throw new DecodeError(`${field}: ${missingWhy}`);
      notes.note(field, "default", "missing", defaultText);
      return fallback();
    }
    if (value === null) {
      if (!nullable) throw new DecodeError(`${field}: may not be null`);
      return null;
    }
    const stored = convert(value, field, notes);
    if (choices && !choices.has(stored as string)) notes.note(field, "outside-choices", String(stored), show(stored));
    return stored;
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function decodePk(value: unknown, notes: DecodeNotes): number {
  const pk = toInteger(value, "pk", notes) as number;
  if (pk < 1) throw new DecodeError(`pk: must be a positive whole number, got ${show(value)}`);
  return pk;
}

/**
 * A many-to-many field's list of primary keys. Absent means none; anything else that is not a
 * list is damage (Django's importer fails on null with "'NoneType' object is not iterable").
 */
function linkList(value: unknown, field: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new DecodeError(`${field}: expected a list of primary keys, got ${typeName(value)}`);
  return value;
}

function decodeLinks(value: unknown, field: string, notes: DecodeNotes): number[] {
  return linkList(value, field).map((v) => toInteger(v, field, notes) as number);
}

export function createRecordDecoder(model: ModelSpec): RecordDecoder {
  const columns = model.columns.map((c) => (c.isId ? null : { django: c.django, encode: encoderFor(c) }));
  const djangoOnly = DJANGO_ONLY_LIST_FIELDS[model.label] ?? [];
  const known = new Set([
    ...model.columns.filter((c) => !c.isId).map((c) => c.django),
    ...model.manyToMany.map((m) => m.django),
    ...djangoOnly,
  ]);

  return {
    model,
    decode(record, notes = IGNORE_NOTES) {
      if (!isPlainObject(record)) return { ok: false, error: `a record must be an object, got ${typeName(record)}` };
      const { model: label, pk: rawPk, fields } = record;
      if (label !== undefined && (typeof label !== "string" || !sameDjangoModel(label, model.label))) {
        return { ok: false, error: `record says model ${show(label)} but is listed under "${model.label}"` };
      }
      if (!isPlainObject(fields)) return { ok: false, error: "fields must be an object" };
      try {
        const pk = decodePk(rawPk, notes);
        // Filled by push, not map: map's result is a holey array, which a restore's hand-over
        // to its inserting thread (structured clone) copies key by key, about twice as slowly.
        const params: SqlValue[] = [];
        for (const c of columns) params.push(c === null ? pk : c.encode(fields[c.django], notes));
        const links = model.manyToMany.map((m) => decodeLinks(fields[m.django], m.django, notes));
        for (const name of djangoOnly) {
          if (linkList(fields[name], name).length > 0) notes.unknownField(name, fields[name]);
        }
        for (const name in fields) if (!known.has(name)) notes.unknownField(name, fields[name]);
        return { ok: true, value: { pk, params, links } };
      } catch (error) {
        if (error instanceof DecodeError) return { ok: false, error: error.message };
        throw error;
      }
    },
  };
}
