// The backup's view of the database, derived from the Prisma schema's DMMF: which
// tables and columns each Django label maps to, how they reference each other, and the
// order in which they can be loaded without breaking a foreign key.
import datamodel from "@/generated/dmmf.json";
import { DJANGO_LABELS, NOT_BACKED_UP, recordLabel } from "@/lib/backup/format/labels";
import { CHOICE_FIELDS } from "@/lib/domain/choices";

export type ScalarType = "Int" | "Float" | "String" | "Boolean" | "DateTime" | "Json";

export type ColumnDefault =
  { kind: "none" } | { kind: "value"; value: string | number | boolean } | { kind: "now" } | { kind: "autoincrement" };

export interface ColumnSpec {
  /** Prisma field name (camelCase). */
  field: string;
  /** SQLite column name. */
  column: string;
  /** Field name in a Django backup record. */
  django: string;
  type: ScalarType;
  nullable: boolean;
  default: ColumnDefault;
  /** Prisma's @updatedAt. */
  updatedAt: boolean;
  /**
   * The original's automatic timestamp (`/// @django auto_now_add` or `auto_now` in the
   * schema): Django's loader never fills it, so a backup record must carry it.
   */
  djangoAuto: boolean;
  isId: boolean;
  unique: boolean;
  /** Model a foreign key points at. */
  references?: string;
  choices?: readonly string[];
}

export interface ManyToManySpec {
  django: string;
  table: string;
  /** Join-table column holding this model's pk, and the one holding the target's. */
  ownColumn: string;
  targetColumn: string;
  target: string;
}

export interface ModelSpec {
  name: string;
  label: string;
  table: string;
  columns: ColumnSpec[];
  pk: ColumnSpec;
  manyToMany: ManyToManySpec[];
}

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: string;
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  isUpdatedAt: boolean;
  type: string;
  default?: unknown;
  relationName?: string;
  relationFromFields?: string[];
  documentation?: string;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function columnDefault(field: DmmfField): ColumnDefault {
  const value = field.default;
  if (value === undefined) return { kind: "none" };
  if (typeof value === "object" && value !== null && "name" in value) {
    const fn = (value as { name: string }).name;
    if (fn === "now") return { kind: "now" };
    if (fn === "autoincrement") return { kind: "autoincrement" };
    throw new Error(`Unsupported default function ${fn}() on ${field.name}`);
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return { kind: "value", value };
  }
  throw new Error(`Unsupported default on ${field.name}`);
}

const DJANGO_AUTO = /^@django (auto_now_add|auto_now)$/m;

function isDjangoAuto(field: DmmfField): boolean {
  if (!DJANGO_AUTO.test(field.documentation ?? "")) return false;
  if (field.type !== "DateTime") throw new Error(`@django auto timestamps must be DateTime fields: ${field.name}`);
  return true;
}

function foreignKeyTargets(model: DmmfModel): Map<string, DmmfField> {
  const targets = new Map<string, DmmfField>();
  for (const relation of model.fields) {
    for (const from of relation.relationFromFields ?? []) targets.set(from, relation);
  }
  return targets;
}

function buildColumns(model: DmmfModel): ColumnSpec[] {
  const fkRelations = foreignKeyTargets(model);
  return model.fields
    .filter((f) => f.kind === "scalar")
    .map((f) => {
      const relation = fkRelations.get(f.name);
      return {
        field: f.name,
        column: f.dbName ?? f.name,
        // A foreign key is named after its relation (`approved_by`), any other field by its column.
        django: relation ? snakeCase(relation.name) : (f.dbName ?? f.name),
        type: f.type as ScalarType,
        nullable: !f.isRequired,
        default: columnDefault(f),
        updatedAt: f.isUpdatedAt,
        djangoAuto: isDjangoAuto(f),
        isId: f.isId,
        unique: f.isUnique,
        references: relation?.type,
        choices: CHOICE_FIELDS[model.name]?.[f.name]?.options,
      };
    });
}

function isImplicitManyToMany(models: DmmfModel[], field: DmmfField): boolean {
  if (field.kind !== "object" || !field.isList) return false;
  const target = models.find((m) => m.name === field.type);
  const opposite = target?.fields.find((f) => f.relationName === field.relationName && f !== field);
  return Boolean(opposite?.isList);
}

/** Kahn's algorithm; ties keep the schema's declaration order so the result is stable. */
export function foreignKeyOrder(names: string[], dependsOn: Map<string, Set<string>>): string[] {
  const order: string[] = [];
  const pending = [...names];
  while (pending.length > 0) {
    const ready = pending.find((n) => [...(dependsOn.get(n) ?? [])].every((d) => d === n || order.includes(d)));
    if (!ready) throw new Error(`Foreign keys form a cycle among: ${pending.join(", ")}`);
    order.push(ready);
    pending.splice(pending.indexOf(ready), 1);
  }
  return order;
}

function buildModelSpecs(models: DmmfModel[]): ModelSpec[] {
  const labels = DJANGO_LABELS as Record<string, string>;
  const unclassified = models.filter(
    (m) => !(m.name in labels) && !(NOT_BACKED_UP as readonly string[]).includes(m.name),
  );
  if (unclassified.length > 0) {
    throw new Error(`Models neither backed up nor excluded: ${unclassified.map((m) => m.name).join(", ")}`);
  }
  const backedUp = models.filter((m) => m.name in labels);
  const dependsOn = new Map<string, Set<string>>();
  for (const model of backedUp) {
    const deps = new Set<string>();
    for (const f of model.fields) if (f.relationFromFields?.length) deps.add(f.type);
    dependsOn.set(model.name, deps);
  }
  // An implicit many-to-many belongs to whichever side loads later; its join rows need both.
  const m2mFields = new Map<string, DmmfField[]>();
  const provisional = foreignKeyOrder(
    backedUp.map((m) => m.name),
    dependsOn,
  );
  for (const model of backedUp) {
    for (const f of model.fields.filter((f) => isImplicitManyToMany(models, f))) {
      if (provisional.indexOf(f.type) < provisional.indexOf(model.name)) {
        dependsOn.get(model.name)!.add(f.type);
        m2mFields.set(model.name, [...(m2mFields.get(model.name) ?? []), f]);
      }
    }
  }
  const order = foreignKeyOrder(
    backedUp.map((m) => m.name),
    dependsOn,
  );
  return order.map((name) => {
    const model = backedUp.find((m) => m.name === name)!;
    const columns = buildColumns(model);
    const pk = columns.find((c) => c.isId);
    if (!pk || pk.type !== "Int") throw new Error(`${name} needs an integer primary key to be backed up`);
    const manyToMany = (m2mFields.get(name) ?? []).map((f) => {
      // Prisma's implicit join table: column A references the alphabetically first model.
      const ownIsA = name < f.type;
      return {
        django: snakeCase(f.name),
        table: `_${f.relationName}`,
        ownColumn: ownIsA ? "A" : "B",
        targetColumn: ownIsA ? "B" : "A",
        target: f.type,
      };
    });
    return { name, label: labels[name]!, table: model.dbName ?? name, columns, pk, manyToMany };
  });
}

/** Every backed-up model, in foreign-key (restore) order. */
export const BACKUP_MODELS: readonly ModelSpec[] = buildModelSpecs((datamodel as { models: DmmfModel[] }).models);

const byLabel = new Map(BACKUP_MODELS.map((m) => [m.label, m]));
const byName = new Map(BACKUP_MODELS.map((m) => [m.name, m]));
const byRecordLabel = new Map(BACKUP_MODELS.map((m) => [recordLabel(m.label), m]));

export function modelByLabel(label: string): ModelSpec | undefined {
  return byLabel.get(label);
}

/** The model a record names (`auth.user`), by Django's rule: app label exact, model name in any case. */
export function modelOfRecord(model: string): ModelSpec | undefined {
  return byRecordLabel.get(recordLabel(model));
}

export function modelByName(name: string): ModelSpec {
  const spec = byName.get(name);
  if (!spec) throw new Error(`Unknown model ${name}`);
  return spec;
}

export const BACKUP_LABELS: readonly string[] = BACKUP_MODELS.map((m) => m.label);

/** Every backed-up table: the models' in foreign-key order, then the many-to-many join tables. */
export const BACKUP_TABLES: readonly string[] = [
  ...BACKUP_MODELS.map((m) => m.table),
  ...BACKUP_MODELS.flatMap((m) => m.manyToMany.map((rel) => rel.table)),
];
