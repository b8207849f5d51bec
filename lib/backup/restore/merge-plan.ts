// The plan of a merge: for every record of the file, whether the database already holds it
// (and under which id), or whether it comes in, under its own id or, where that id belongs to
// a different record, under a new one. Made from one pass over the file (the validator's, with
// the database's ids known) and the database as it is, before anything is written: the dry
// run shows it, and the merge's transaction makes it again and then follows it.
//
// Every reference of a record that comes in is rewritten through the plan, so it points at the
// same person, machine, preset or entry as in the file: the invariant a merge keeps. What
// "the same record" means is merge-identity.ts.
import { modelNoun } from "@/lib/backup/format/labels";
import type { DecodedRecord } from "@/lib/backup/format/record-schema";
import { BACKUP_MODELS, modelByName, type ModelSpec } from "@/lib/backup/format/schema-model";
import type { SqlValue } from "@/lib/backup/format/values";
import {
  identityOf,
  plainColumns,
  plainDigest,
  referenceColumns,
  type Identity,
} from "@/lib/backup/restore/merge-identity";
import { existingKeysIn } from "@/lib/backup/row-counts";
import { IdSet } from "@/lib/backup/verify/id-set";
import { verifyBackupFile, type BackupReport, type RecordSink } from "@/lib/backup/verify/verify";
import { writeEngine } from "@/lib/db/engine/write";
import type { IdCounters, SqlRunner, WriteValue } from "@/lib/db/engine/write-types";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";
import { formatCount, formatDateTime, plural } from "@/lib/format";

/** What a merge does with one model's records. */
export interface ModelMergePlan {
  label: string;
  noun: { one: string; many: string };
  inFile: number;
  /** Rows in the database now. */
  now: number;
  /** Records that come in under their own id. */
  added: number;
  /** Records already in the database (under the same id, or found under another one): not added. */
  present: number;
  /** Records whose id belongs to a different record here: they come in under a new id. */
  conflicts: number;
  /**
   * Many-to-many links (a preference's followed presets) of records already here that the file
   * has and the database lacks: the merge adds them, keeping the links the database has.
   */
  linked: number;
  /** What one such link is, in words: "followed preset". */
  linkNoun: string;
  /** The first few conflicts, in words. */
  examples: string[];
}

export interface MergePlan {
  models: ModelMergePlan[];
  /** The id a record of the file has in the database after the merge (its own unless mapped). */
  idOf(model: string, filePk: number): number;
  /** The database already holds this record of the file: it is not added. */
  isPresent(model: string, filePk: number): boolean;
}

/** A merge that cannot keep every reference meaning what it meant (kept for a schema with two unique keys). */
export class MergeRefused extends Error {}

const MAX_EXAMPLES = 3;

/** How a record's owner reads in words: "queue entry 12 (of jsmith …)", "notification 7 (for jsmith …)". */
const OWNER_WORDS: Record<string, string> = { user: "of", recipient: "for" };

/** What the plan needs of a record: small, so a large file's plan stays small. */
interface RecordFacts {
  pk: number;
  /** The identity columns' values, as in the file (references unmapped). */
  identity: SqlValue[];
  /** References in `referenceColumns` order, as in the file. */
  references: (number | null)[];
  plain: string;
  /** Many-to-many targets per relation, as in the file (only for models that have such lists). */
  links: number[][];
}

/** Collects each valid record's facts while the validator reads the file. */
class FactCollector implements RecordSink {
  readonly facts = new Map<string, RecordFacts[]>(BACKUP_MODELS.map((m) => [m.name, []]));

  record(model: ModelSpec, record: DecodedRecord): void {
    const at = (column: { field: string }) => record.params[model.columns.findIndex((c) => c.field === column.field)]!;
    this.facts.get(model.name)!.push({
      pk: record.pk,
      identity: identityOf(model).columns.map(at),
      references: referenceColumns(model).map((c) => at(c) as number | null),
      plain: plainDigest(plainColumns(model).map(at)),
      links: record.links,
    });
  }
}

type Row = Record<string, SqlValue>;

class Planner {
  private readonly target = new Map<string, Map<number, number>>();
  private readonly present = new Map<string, IdSet>();
  private readonly byPk = new Map<string, Map<number, RecordFacts>>();

  constructor(
    private readonly db: SqlRunner & Partial<IdCounters>,
    private readonly facts: Map<string, RecordFacts[]>,
  ) {}

  idOf = (model: string, filePk: number): number => this.target.get(model)?.get(filePk) ?? filePk;
  isPresent = (model: string, filePk: number): boolean => this.present.get(model)?.has(filePk) ?? false;

  async plan(): Promise<MergePlan> {
    const models: ModelMergePlan[] = [];
    // One model after another: a model's references are mapped through the plans before it.
    for (const model of BACKUP_MODELS) models.push(await this.planModel(model));
    return { models, idOf: this.idOf, isPresent: this.isPresent };
  }

  private mapped(model: ModelSpec, identity: Identity, values: SqlValue[]): SqlValue[] {
    return identity.columns.map((c, i) =>
      c.references && values[i] !== null ? this.idOf(c.references, values[i] as number) : values[i]!,
    );
  }

  /** The first column of the first row `sql` gives, or undefined. */
  private async value(sql: string, params: readonly WriteValue[] = []): Promise<unknown> {
    const row = await this.db.get(sql, params);
    return row === undefined ? undefined : Object.values(row)[0];
  }

  private rowAt(model: ModelSpec, id: number): Promise<Row | undefined> {
    return this.db.get<Row>(`SELECT * FROM ${quote(model.table)} WHERE ${quote(model.pk.column)} = ?`, [id]);
  }

  private async planModel(model: ModelSpec): Promise<ModelMergePlan> {
    const records = this.facts.get(model.name)!;
    this.byPk.set(model.name, new Map(records.map((r) => [r.pk, r])));
    const target = new Map<number, number>();
    const present = new IdSet();
    this.target.set(model.name, target);
    this.present.set(model.name, present);
    const identity = identityOf(model);
    const now = Number(await this.value(`SELECT COUNT(*) AS n FROM ${quote(model.table)}`));
    const inDatabase = (await this.value(`SELECT MAX(${quote(model.pk.column)}) AS n FROM ${quote(model.table)}`)) as
      number | null;
    // New ids start above both the database's and the file's, so none takes an id a record keeps,
    // and above what the engine's id counter gave out where it says (rows deleted since keep theirs).
    const given = this.db.idsGivenOut
      ? ((await this.db.idsGivenOut([{ table: model.table, key: model.pk.column }]))[model.table] ?? 0)
      : 0;
    const highest = records.reduce((max, r) => Math.max(max, r.pk), Math.max(inDatabase ?? 0, given));
    const found =
      identity.kind === "unique" ? await this.findByKey(model, identity) : await this.findAtIdOrCopy(model, identity);
    let nextId = highest + 1;
    const summary: ModelMergePlan = {
      label: model.label,
      noun: modelNoun(model.name),
      inFile: records.length,
      now,
      added: 0,
      present: 0,
      conflicts: 0,
      linked: 0,
      // "followed_presets" → "followed preset".
      linkNoun: model.manyToMany.map((rel) => rel.django.replaceAll("_", " ").replace(/s$/, "")).join(" or "),
      examples: [],
    };
    for (const record of records) {
      const existing = found.get(record.pk);
      if (existing !== undefined) {
        present.add(record.pk);
        if (existing !== record.pk) target.set(record.pk, existing);
        summary.present++;
        summary.linked += await this.missingLinks(model, record, existing);
      } else if (await this.rowAt(model, record.pk)) {
        const id = nextId++;
        target.set(record.pk, id);
        summary.conflicts++;
        if (summary.examples.length < MAX_EXAMPLES) summary.examples.push(await this.conflictText(model, record, id));
      } else summary.added++;
    }
    return summary;
  }

  /** How many of a present record's links in the file (targets mapped) the database lacks. */
  private async missingLinks(model: ModelSpec, record: RecordFacts, id: number): Promise<number> {
    let missing = 0;
    for (const [i, rel] of model.manyToMany.entries()) {
      const has = `SELECT 1 AS found FROM ${quote(rel.table)} WHERE ${quote(rel.ownColumn)} = ? AND ${quote(rel.targetColumn)} = ?`;
      const targets = new Set((record.links[i] ?? []).map((target) => this.idOf(rel.target, target)));
      for (const target of targets) if (!(await this.db.get(has, [id, target]))) missing++;
    }
    return missing;
  }

  /** File pk → the id of the database's record with the same unique key. */
  private async findByKey(model: ModelSpec, identity: Identity): Promise<Map<number, number>> {
    const found = new Map<number, number>();
    const lookups = identity.columns.map(
      (c) => `SELECT ${quote(model.pk.column)} AS id FROM ${quote(model.table)} WHERE ${quote(c.column)} = ?`,
    );
    for (const record of this.facts.get(model.name)!) {
      const key = this.mapped(model, identity, record.identity);
      const ids = new Set<number | undefined>();
      for (const [i, lookup] of lookups.entries())
        ids.add(
          key[i] === null ? undefined : ((await this.value(lookup, [key[i] as WriteValue])) as number | undefined),
        );
      ids.delete(undefined);
      if (ids.size > 1) {
        throw new MergeRefused(
          `${modelNoun(model.name).one} ${record.pk} of the file matches ${ids.size} different records here by its unique values; nothing was changed.`,
        );
      }
      const [id] = ids;
      if (id !== undefined) found.set(record.pk, id);
    }
    return found;
  }

  /**
   * File pk → the database's id for the same record: the row at the same id when its lasting
   * values are the file's, else an exact copy under another id (each row matched once).
   */
  private async findAtIdOrCopy(model: ModelSpec, identity: Identity): Promise<Map<number, number>> {
    const found = new Map<number, number>();
    const claimed = new Set<number>();
    const unmatched: RecordFacts[] = [];
    for (const record of this.facts.get(model.name)!) {
      const row = await this.rowAt(model, record.pk);
      const key = this.mapped(model, identity, record.identity);
      if (row && identity.columns.every((c, i) => row[c.column] === key[i])) {
        found.set(record.pk, record.pk);
        claimed.add(record.pk);
      } else unmatched.push(record);
    }
    if (unmatched.length === 0) return found;
    const copies = await this.copiesInDatabase(model);
    const references = referenceColumns(model);
    for (const record of unmatched) {
      const refs = record.references.map((v, i) => (v === null ? null : this.idOf(references[i]!.references!, v)));
      const ids = copies.get(`${record.plain}|${refs.join(",")}`) ?? [];
      const id = ids.find((candidate) => !claimed.has(candidate));
      if (id === undefined) continue;
      found.set(record.pk, id);
      claimed.add(id);
    }
    return found;
  }

  /** Every row of the model by its plain values and references: where an exact copy is found. */
  private async copiesInDatabase(model: ModelSpec): Promise<Map<string, number[]>> {
    const plain = plainColumns(model);
    const references = referenceColumns(model);
    const copies = new Map<string, number[]>();
    for (const row of await this.db.all<Row>(`SELECT * FROM ${quote(model.table)}`)) {
      const key = `${plainDigest(plain.map((c) => row[c.column]))}|${references.map((c) => row[c.column]).join(",")}`;
      copies.set(key, [...(copies.get(key) ?? []), row[model.pk.column] as number]);
    }
    return copies;
  }

  /** "User 4 in the file is “jsmith”, but user 4 here is “ada4”: it comes in as id 47." */
  private async conflictText(model: ModelSpec, record: RecordFacts, id: number): Promise<string> {
    const noun = modelNoun(model.name).one;
    const identity = identityOf(model);
    const row = (await this.rowAt(model, record.pk))!;
    const inFile = await this.describe(model, record.identity, "file");
    const here = await this.describe(
      model,
      identity.columns.map((c) => row[c.column]!),
      "database",
    );
    const subject = `${noun[0]!.toUpperCase()}${noun.slice(1)} ${record.pk}`;
    const end = `: it comes in as id ${id}.`;
    if (identity.kind === "at-id")
      return `${subject} in the file (${inFile}) is not ${noun} ${record.pk} here (${here})${end}`;
    const verb = identity.columns[0]!.references ? "belongs to" : "is";
    return `${subject} in the file ${verb} ${inFile}, but ${noun} ${record.pk} here ${verb} ${here}${end}`;
  }

  /** A record in words, from its identity: “jsmith”, or “of “jsmith”, created 2026-01-03 10:00 UTC”. */
  private async describe(model: ModelSpec, values: SqlValue[], side: "file" | "database"): Promise<string> {
    const identity = identityOf(model);
    const parts: string[] = [];
    for (const [i, c] of identity.columns.entries()) {
      const value = values[i];
      const what = c.django.replaceAll("_", " ");
      if (value === null || value === undefined) parts.push(`no ${what}`);
      else if (c.references) {
        const name = await this.nameOf(c.references, value as number, side);
        parts.push(identity.kind === "unique" ? name : `${OWNER_WORDS[c.django] ?? `${what}:`} ${name}`);
      } else if (c.type === "DateTime") parts.push(`${what.replace(/ at$/, "")} ${formatDateTime(String(value))}`);
      else parts.push(`“${String(value)}”`);
    }
    // Two timestamps taken together (submitted and created) say the same twice: the first is enough.
    const shown = parts.filter(
      (p, i) =>
        identity.columns[i]!.type !== "DateTime" || identity.columns.findIndex((c) => c.type === "DateTime") === i,
    );
    return shown.join(", ");
  }

  /** A referenced record's name: a user's username, a machine's name, else its kind and id. */
  private async nameOf(modelName: string, id: number, side: "file" | "database"): Promise<string> {
    const model = modelByName(modelName);
    const identity = identityOf(model);
    const named = identity.kind === "unique" && !identity.columns[0]!.references ? identity.columns[0]! : null;
    if (!named) return `${modelNoun(modelName).one} ${id}`;
    if (side === "file") {
      const facts = this.byPk.get(modelName)?.get(id);
      if (facts) return `“${String(facts.identity[0])}”`;
    }
    const value = await this.value(
      `SELECT ${quote(named.column)} FROM ${quote(model.table)} WHERE ${quote(model.pk.column)} = ?`,
      [id],
    );
    return value === undefined ? `${modelNoun(modelName).one} ${id}` : `“${String(value)}”`;
  }
}

/**
 * Reads and checks the whole file against the database on `db` (references may point at rows
 * the database keeps) and plans the merge; no plan when the file did not pass.
 */
export async function planMerge(
  db: SqlRunner & Partial<IdCounters>,
  file: string,
  onProgress?: (fraction: number) => void,
): Promise<{ report: BackupReport; plan: MergePlan | null }> {
  const collector = new FactCollector();
  const report = await verifyBackupFile(file, {
    sink: collector,
    existing: await existingKeysIn(db),
    onProgress: onProgress ? ({ fraction }) => onProgress(fraction) : undefined,
  });
  if (!report.ok) return { report, plan: null };
  return { report, plan: await new Planner(db, collector.facts).plan() };
}

/** "2 followed presets", per model with links to add to records already here. */
export function linkedWords(models: readonly { linked?: number; linkNoun?: string }[]): string[] {
  return models
    .filter((m) => (m.linked ?? 0) > 0)
    .map((m) => `${formatCount(m.linked!)} ${plural(m.linked!, m.linkNoun ?? "link")}`);
}

/** Why a merge of a file whose every record (and link) is already here is not offered. */
export const NOTHING_TO_MERGE = "Nothing to add: every record of this file is already here.";

/** The merge would add no record and no link: the database holds all the file has. */
export function mergeAddsNothing(models: readonly MergeFigures[]): boolean {
  return models.every((m) => (m.added ?? 0) + (m.conflicts ?? 0) + (m.linked ?? 0) === 0);
}

/** A merge's figures per model, planned (ModelMergePlan) or done (a restore's ModelOutcome). */
interface MergeFigures {
  added?: number;
  conflicts?: number;
  present?: number;
  linked?: number;
  linkNoun?: string;
}

/**
 * A merge in one sentence. Planned: "Adds 640 records (112 of them under a new id, …); nothing
 * that exists changes. 198 records are already here…". Done, `from` the file (the History's
 * line): "Merged 640 of 838 records from x.json (112 under a new id; 198 already here)".
 */
export function mergeSummary(models: readonly MergeFigures[], from?: string): string {
  const total = (pick: (m: MergeFigures) => number | undefined) => models.reduce((n, m) => n + (pick(m) ?? 0), 0);
  const [conflicts, present] = [total((m) => m.conflicts), total((m) => m.present)];
  const added = total((m) => m.added) + conflicts;
  const links = linkedWords(models);
  if (from !== undefined)
    return (
      `Merged ${formatCount(added)} of ${formatCount(added + present)} records from ${from} ` +
      `(${formatCount(conflicts)} under a new id; ${formatCount(present)} already here` +
      (links.length > 0 ? `; added to records already here: ${links.join(", ")})` : ")")
    );
  const records = (n: number) => `${formatCount(n)} ${plural(n, "record")}`;
  if (mergeAddsNothing(models)) {
    return `Adds nothing: all ${records(present)} of this file ${plural(present, "is", "are")} already here, so a merge would change nothing.`;
  }
  const renumbered =
    conflicts > 0
      ? ` (${formatCount(conflicts)} of them under a new id, because their id belongs to a different record here)`
      : "";
  const already =
    present > 0 ? ` ${records(present)} ${plural(present, "is", "are")} already here and stay as they are.` : "";
  const linking =
    links.length > 0
      ? ` Records already here gain the file's links they lack (${links.join(", ")}); links they have stay.`
      : "";
  return `Adds ${records(added)}${renumbered}; nothing that exists changes.${already}${linking}`;
}

/** A merge's dry run: the file checked against the database, and what a merge would do. */
export interface MergePreview {
  report: BackupReport;
  /** What the merge would do, in one sentence; null when it cannot go ahead. */
  summary: string | null;
  models: ModelMergePlan[];
  /** Why the merge cannot go ahead although the file is whole; null when it can. */
  refusal: string | null;
}

/**
 * Plans a merge of `file` into a database in one read-only transaction: changes nothing. The
 * database at `database` (a URL or a SQLite file) when given, else DATABASE_URL's.
 */
export async function previewMerge(file: string, database?: string): Promise<MergePreview> {
  const session = await writeEngine(database).beginReadOnly();
  try {
    return await previewOn(session, file);
  } finally {
    await session.close();
  }
}

async function previewOn(db: SqlRunner & Partial<IdCounters>, file: string): Promise<MergePreview> {
  try {
    const { report, plan } = await planMerge(db, file);
    return { report, summary: plan && mergeSummary(plan.models), models: plan?.models ?? [], refusal: null };
  } catch (error) {
    if (!(error instanceof MergeRefused)) throw error;
    const report = await verifyBackupFile(file);
    return { report, summary: null, models: [], refusal: error.message };
  }
}
