// How a backup record's values are read, field type by field type, as Django's to_python reads
// them: what loads as is, what loads converted (and is noted), and the sentence a value that
// cannot load gets. These are the checks that make a foreign or damaged file a clear refusal.
import { describe, expect, it } from "vitest";

import { createRecordDecoder, type DecodeNotes } from "@/lib/backup/format/record-schema";
import { BACKUP_MODELS, type ColumnSpec, type ModelSpec, type ScalarType } from "@/lib/backup/format/schema-model";

const SAMPLE: Record<ScalarType, unknown> = {
  String: "x",
  Int: 1,
  Float: 1.5,
  Boolean: true,
  DateTime: "2024-01-01T00:00:00Z",
  Json: {},
};

/** A column of `type` without choices, and its model: a required one (no default, not
 * nullable) where the schema has one, as the tests of null and missing values need. */
function requiredColumn(type: ScalarType): { model: ModelSpec; column: ColumnSpec } {
  const candidates = BACKUP_MODELS.flatMap((model) =>
    model.columns.filter((c) => !c.isId && c.type === type && !c.choices).map((column) => ({ model, column })),
  );
  const required = candidates.find(({ column: c }) => !c.nullable && c.default.kind === "none" && !c.updatedAt);
  const found = required ?? candidates[0];
  if (!found) throw new Error(`no ${type} column in the schema`);
  return found;
}

interface Noted {
  notes: string[];
  unknown: string[];
}

function recorder(): DecodeNotes & Noted {
  const notes: string[] = [];
  const unknown: string[] = [];
  return {
    notes,
    unknown,
    note: (field, kind, category, example) => notes.push(`${field} ${kind}: ${category} (${example})`),
    unknownField: (field) => unknown.push(field),
  };
}

/** Decodes a record of `model` whose fields are valid samples, with `fields` over them. */
function decode(model: ModelSpec, fields: Record<string, unknown>, pk: unknown = 3, label: unknown = model.label) {
  const base = Object.fromEntries(
    model.columns.filter((c) => !c.isId).map((c) => [c.django, c.choices ? c.choices[0] : SAMPLE[c.type]]),
  );
  const notes = recorder();
  const result = createRecordDecoder(model).decode({ model: label, pk, fields: { ...base, ...fields } }, notes);
  return { result, notes };
}

/** The stored value of one field, and the notes the decode made. */
function read(type: ScalarType, value: unknown) {
  const { model, column } = requiredColumn(type);
  const { result, notes } = decode(model, { [column.django]: value });
  const index = model.columns.indexOf(column);
  return {
    field: column.django,
    stored: result.ok ? result.value.params[index] : undefined,
    error: result.ok ? undefined : result.error,
    notes: notes.notes,
  };
}

describe("reading a field's value", () => {
  it.each([
    ["String", "a", "a"],
    ["Int", 7, 7],
    ["Float", 2.25, 2.25],
    ["Boolean", true, 1],
    ["Boolean", false, 0],
    ["DateTime", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00.000+00:00"],
  ] as const)("keeps a %s written as Django writes it (%j) without a note", (type, value, stored) => {
    expect(read(type, value)).toMatchObject({ stored, error: undefined, notes: [] });
  });

  it.each([
    ["String", true, "True", 'boolean → text (true → "True")'],
    ["String", false, "False", 'boolean → text (false → "False")'],
    ["String", 1.5, "1.5", 'number → text (1.5 → "1.5")'],
    ["Int", true, 1, "boolean → integer (true → 1)"],
    ["Int", false, 0, "boolean → integer (false → 0)"],
    ["Int", 2.9, 2, "number → integer (2.9 → 2)"],
    ["Int", " -12 ", -12, 'text → integer (" -12 " → -12)'],
    ["Float", true, 1, "boolean → number (true → 1)"],
    ["Float", false, 0, "boolean → number (false → 0)"],
    ["Float", "1e3", 1000, 'text → number ("1e3" → 1000)'],
    ["Float", " .5 ", 0.5, 'text → number (" .5 " → 0.5)'],
    ["Boolean", 1, 1, "number → boolean (1 → 1)"],
    ["Boolean", 0, 0, "number → boolean (0 → 0)"],
    ["Boolean", "t", 1, 'text → boolean ("t" → 1)'],
    ["Boolean", "True", 1, 'text → boolean ("True" → 1)'],
    ["Boolean", "1", 1, 'text → boolean ("1" → 1)'],
    ["Boolean", "f", 0, 'text → boolean ("f" → 0)'],
    ["Boolean", "False", 0, 'text → boolean ("False" → 0)'],
    ["Boolean", "0", 0, 'text → boolean ("0" → 0)'],
  ] as const)("loads a %s given as %j converted to %j, and notes it", (type, value, stored, note) => {
    const seen = read(type, value);
    expect(seen).toMatchObject({ stored, error: undefined });
    expect(seen.notes).toEqual([`${seen.field} converted: ${note}`]);
  });

  it.each([
    ["String", {}, "expected text, got an object"],
    ["String", [], "expected text, got a list"],
    ["Int", "1.5", 'expected a whole number, got "1.5"'],
    ["Int", 2 ** 60, "expected a whole number, got 1152921504606847000"],
    ["Int", "12a", 'expected a whole number, got "12a"'],
    ["Int", {}, "expected a whole number, got {}"],
    ["Float", "abc", 'expected a number, got "abc"'],
    ["Float", "1e999", 'expected a number, got "1e999"'],
    ["Float", [1], "expected a number, got [1]"],
    ["Boolean", 2, "expected true or false, got 2"],
    ["Boolean", "yes", 'expected true or false, got "yes"'],
    ["Boolean", "true", 'expected true or false, got "true"'],
    ["DateTime", "yesterday", 'not a valid date and time: "yesterday"'],
    ["DateTime", 1700000000, "not a valid date and time: 1700000000"],
    ["String", null, "may not be null"],
    ["Int", null, "may not be null"],
  ] as const)("refuses a %s given as %j, naming the field", (type, value, message) => {
    const seen = read(type, value);
    expect(seen.error).toBe(`${seen.field}: ${message}`);
  });

  it("shows at most 60 characters of a refused value", () => {
    const seen = read("Int", "9".repeat(100) + "x");
    expect(seen.error).toBe(`${seen.field}: expected a whole number, got "${"9".repeat(56)}…`);
  });

  it("keeps any JSON value as its JSON text", () => {
    const model = BACKUP_MODELS.find((m) => m.columns.some((c) => c.type === "Json"));
    if (!model) return;
    const column = model.columns.find((c) => c.type === "Json")!;
    const { result } = decode(model, { [column.django]: { a: [1, "b"] } });
    expect(result.ok && result.value.params[model.columns.indexOf(column)]).toBe('{"a":[1,"b"]}');
  });
});

it("loads a value outside a field's choices unchanged, as Django does, and notes it", () => {
  const model = BACKUP_MODELS.find((m) => m.columns.some((c) => c.choices))!;
  const column = model.columns.find((c) => c.choices)!;
  const { result, notes } = decode(model, { [column.django]: "not-a-choice" });
  expect(result.ok && result.value.params[model.columns.indexOf(column)]).toBe("not-a-choice");
  expect(notes.notes).toEqual([`${column.django} outside-choices: not-a-choice ("not-a-choice")`]);
});

it("takes a choice field left at its default (no security question chosen) as unset, not outside the choices", () => {
  const atDefault = BACKUP_MODELS.flatMap((model) =>
    model.columns
      .filter((c) => c.choices && c.default.kind === "value" && !c.choices.includes(c.default.value as string))
      .map((column) => ({ model, column })),
  );
  expect(atDefault.map(({ column }) => column.django)).toContain("security_question");
  for (const { model, column } of atDefault) {
    const value = (column.default as { value: string }).value;
    expect(decode(model, { [column.django]: value }).notes.notes, column.django).toEqual([]);
    expect(decode(model, { [column.django]: "not-a-choice" }).notes.notes).toEqual([
      `${column.django} outside-choices: not-a-choice ("not-a-choice")`,
    ]);
  }
});

describe("reading a record", () => {
  const { model, column } = requiredColumn("String");

  it.each([
    [null, "null"],
    [[], "a list"],
    ["text", "text"],
    [5, "number"],
    [true, "boolean"],
  ])("refuses a record that is not an object (%j)", (record, name) => {
    expect(createRecordDecoder(model).decode(record)).toEqual({
      ok: false,
      error: `a record must be an object, got ${name}`,
    });
  });

  it("refuses a record listed under another model, and fields that are not an object", () => {
    expect(decode(model, {}, 3, "calendarEditor.nothing").result).toEqual({
      ok: false,
      error: `record says model "calendarEditor.nothing" but is listed under "${model.label}"`,
    });
    expect(createRecordDecoder(model).decode({ pk: 1, fields: [] })).toEqual({
      ok: false,
      error: "fields must be an object",
    });
  });

  it("reads the model's label in any case, as Django does, and a record without one", () => {
    expect(decode(model, {}, 3, model.label.toLowerCase()).result.ok).toBe(true);
    expect(decode(model, {}, 3, undefined).result.ok).toBe(true);
    const [app, name] = model.label.split(".") as [string, string];
    expect(decode(model, {}, 3, `${app}.${name.toUpperCase()}`).result.ok).toBe(true);
  });

  it("refuses a label whose app differs, even only in case, as Django does", () => {
    const [app, name] = model.label.split(".") as [string, string];
    for (const label of [`${app.toUpperCase()}.${name}`, name, `.${name}`, 5]) {
      expect(decode(model, {}, 3, label).result, String(label)).toMatchObject({
        ok: false,
        error: `record says model ${JSON.stringify(label)} but is listed under "${model.label}"`,
      });
    }
  });

  it.each([
    [0, "pk: must be a positive whole number, got 0"],
    [-4, "pk: must be a positive whole number, got -4"],
    ["x", 'pk: expected a whole number, got "x"'],
    [null, "pk: expected a whole number, got null"],
  ])("refuses a primary key of %j", (pk, error) => {
    expect(decode(model, {}, pk).result).toEqual({ ok: false, error });
  });

  it("reads a primary key written as text, noting it", () => {
    const { result, notes } = decode(model, {}, "12");
    expect(result.ok && result.value.pk).toBe(12);
    expect(notes.notes).toEqual(['pk converted: text → integer ("12" → 12)']);
  });

  it("refuses a missing field that has no default, and reports fields this app does not keep", () => {
    const required = requiredColumn("Int");
    const { result } = decode(required.model, { [required.column.django]: undefined });
    expect(result).toEqual({ ok: false, error: `${required.column.django}: missing, and it has no default` });
    const { notes } = decode(model, { not_a_field: 1 });
    expect(notes.unknown).toEqual(["not_a_field"]);
  });

  it("refuses a record without an automatic timestamp, which Django's loader never fills, and fills a default of now", () => {
    const model = BACKUP_MODELS.find((m) => m.name === "ArchivedMeasurement")!;
    expect(decode(model, { created_at: undefined }).result).toEqual({
      ok: false,
      error:
        "created_at: missing, and a backup must carry it (it is set when a record is saved, not when a backup is loaded)",
    });
    const { result, notes } = decode(model, { archived_at: undefined });
    expect(result.ok).toBe(true);
    expect(notes.notes).toEqual(["archived_at default: missing (the time of the restore)"]);
  });

  it("gives a missing text field the empty text, as Django does, and notes it", () => {
    const { result, notes } = decode(model, { [column.django]: undefined });
    expect(result.ok && result.value.params[model.columns.indexOf(column)]).toBe("");
    expect(notes.notes).toEqual([`${column.django} default: missing ("")`]);
  });

  it("gives a missing field with a default its default, and notes it", () => {
    const withDefault = BACKUP_MODELS.flatMap((m) =>
      m.columns.filter((c) => c.default.kind === "value").map((c) => ({ m, c })),
    )[0];
    if (!withDefault) return;
    const { m, c } = withDefault;
    const { result, notes } = decode(m, { [c.django]: undefined });
    const value = c.default.kind === "value" ? c.default.value : undefined;
    expect(result.ok && result.value.params[m.columns.indexOf(c)]).toBe(
      typeof value === "boolean" ? Number(value) : value,
    );
    expect(notes.notes).toEqual([`${c.django} default: missing (${JSON.stringify(value)})`]);
  });
});

describe("reading a many-to-many field", () => {
  const preference = BACKUP_MODELS.find((m) => m.manyToMany.length > 0)!;
  const user = BACKUP_MODELS.find((m) => m.label === "auth.User")!;
  const field = preference.manyToMany[0]!.django;

  it("reads a list of primary keys, text ones converted and noted, and an absent field as none", () => {
    const { result, notes } = decode(preference, { [field]: [2, "7"] });
    expect(result.ok && result.value.links).toEqual([[2, 7]]);
    expect(notes.notes).toEqual([`${field} converted: text → integer ("7" → 7)`]);
    expect(decode(preference, { [field]: undefined }).result).toMatchObject({ ok: true, value: { links: [[]] } });
  });

  it.each([
    [null, "null"],
    ["", "text"],
    [{}, "an object"],
    [3, "number"],
  ])(
    "refuses %j where a list belongs, as Django refuses null (\"'NoneType' object is not iterable\")",
    (value, name) => {
      expect(decode(preference, { [field]: value }).result).toEqual({
        ok: false,
        error: `${field}: expected a list of primary keys, got ${name}`,
      });
      expect(decode(user, { user_permissions: value }).result).toEqual({
        ok: false,
        error: `user_permissions: expected a list of primary keys, got ${name}`,
      });
    },
  );

  it("reads a user's groups and permissions, which this app does not keep: empty or absent as nothing, others as a loss", () => {
    for (const value of [[], undefined]) expect(decode(user, { groups: value }).notes.unknown).toEqual([]);
    const { result, notes } = decode(user, { groups: [3], user_permissions: [] });
    expect(result.ok).toBe(true);
    expect(notes.unknown).toEqual(["groups"]);
  });
});
