// Pairs of databases that share a past, for merge tests: both start as the same generated
// lab (lib/seed/generate.ts) and then go their own ways, as a lab's database and an old
// backup of it do: records deleted (with what depends on them), edited, people and machines
// renamed, and new records added on both sides under the same next ids. Or, when `disjoint`,
// two labs with nothing in common but their ids (the demo data and a real backup).
import fs from "node:fs";
import path from "node:path";

import { createRecordDecoder } from "@/lib/backup/format/record-schema";
import { BACKUP_MODELS, modelByLabel, modelOfRecord } from "@/lib/backup/format/schema-model";
import { createTableLoader } from "@/lib/backup/restore/loader";
import { withSqlite } from "@/lib/db/sqlite";
import { generateDataset } from "@/lib/seed/generate";
import type { BackupDoc } from "@/tests/support/backup";
import { freshDatabase, tempDir } from "@/tests/support/db";

type Record_ = { model: string; pk: number; fields: Record<string, unknown> };
export type Models = Record<string, Record_[]>;

/** A small deterministic random source (the property test's seed drives it). */
export class Dice {
  constructor(private state: number) {}
  next(): number {
    this.state = (Math.imul(this.state ^ (this.state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return this.state / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

export function generatedModels(scale: number, seed: number): Models {
  const models: Models = Object.fromEntries(BACKUP_MODELS.map((m) => [m.label, []]));
  for (const record of generateDataset(scale, seed)) models[modelOfRecord(record.model)!.label]!.push(record);
  return models;
}

const copy = (models: Models): Models => JSON.parse(JSON.stringify(models)) as Models;

/** Removes records whose required reference points at a removed one; nulls the optional ones. */
function cascade(models: Models): void {
  for (const model of BACKUP_MODELS) {
    const alive = (label: string) => new Set(models[label]!.map((r) => r.pk));
    models[model.label] = models[model.label]!.filter((record) => {
      for (const column of model.columns.filter((c) => c.references)) {
        const value = record.fields[column.django];
        if (value === null || value === undefined) continue;
        if (alive(modelByLabel(modelLabel(column.references!))!.label).has(value as number)) continue;
        if (!column.nullable) return false;
        record.fields[column.django] = null;
      }
      for (const rel of model.manyToMany) {
        const targets = alive(modelLabel(rel.target));
        record.fields[rel.django] = (record.fields[rel.django] as number[]).filter((pk) => targets.has(pk));
      }
      return true;
    });
  }
}

const modelLabel = (name: string) => BACKUP_MODELS.find((m) => m.name === name)!.label;

/** One side's own history since the shared past. */
export function diverge(base: Models, dice: Dice, newcomers: Models, tag: string): Models {
  const models = copy(base);
  for (const label of Object.keys(models)) {
    const p = label === "auth.User" || label === "calendarEditor.Machine" ? 0.1 : 0.2;
    models[label] = models[label]!.filter(() => !dice.chance(p));
  }
  cascade(models);
  for (const user of models["auth.User"]!)
    if (dice.chance(0.15)) user.fields.username = `${String(user.fields.username)}-${tag}`;
  for (const machine of models["calendarEditor.Machine"]!)
    if (dice.chance(0.15)) machine.fields.name = `${String(machine.fields.name)} (${tag})`;
  for (const entry of models["calendarEditor.QueueEntry"]!) {
    if (dice.chance(0.2)) entry.fields.status = dice.pick(["queued", "running", "completed", "cancelled"]);
  }
  for (const notice of models["calendarEditor.Notification"]!) if (dice.chance(0.2)) notice.fields.is_read = true;
  // New records on this side, under the next free ids (the other side uses the same ones).
  const users = models["auth.User"]!.map((u) => u.pk);
  for (const label of [
    "auth.User",
    "calendarEditor.QueueEntry",
    "calendarEditor.Notification",
    "calendarEditor.QueuePreset",
  ]) {
    const next = Math.max(0, ...base[label]!.map((r) => r.pk));
    newcomers[label]!.slice(0, 3 + Math.floor(dice.next() * 4)).forEach((record, i) => {
      const fields = { ...record.fields };
      if (label === "auth.User") fields.username = `${String(fields.username)}-new-${tag}-${i}`;
      for (const owner of ["user", "recipient", "creator"])
        if (owner in fields && fields[owner] !== null) fields[owner] = dice.pick(users);
      for (const other of [
        "related_preset",
        "related_queue_entry",
        "assigned_machine",
        "related_machine",
        "triggering_user",
        "last_edited_by",
        "selected_optical_machine",
      ])
        if (other in fields) fields[other] = null;
      models[label]!.push({ ...record, pk: next + 1 + i, fields });
    });
  }
  cascade(models);
  return models;
}

/** Loads records into a migrated empty database through the restore's decoder and loader. */
export function loadModels(models: Models, options: { activate?: boolean } = {}): string {
  const file = freshDatabase({ activate: options.activate ?? false });
  withSqlite((db) => {
    const loader = createTableLoader(db);
    db.transaction(() => {
      for (const model of BACKUP_MODELS) {
        const decoder = createRecordDecoder(model);
        for (const record of models[model.label] ?? []) {
          const decoded = decoder.decode(record);
          if (!decoded.ok) throw new Error(`${model.label} ${record.pk}: ${decoded.error}`);
          loader.insert(model, decoded.value);
        }
      }
      loader.resetSequences();
    })();
  }, file);
  return file;
}

/** A backup document's records by label (a real backup's, say). */
export function modelsOf(doc: BackupDoc): Models {
  return Object.fromEntries(
    BACKUP_MODELS.map((m) => [m.label, Array.isArray(doc.models[m.label]) ? (doc.models[m.label] as Record_[]) : []]),
  );
}

export function writeDoc(doc: unknown, name = "file.json"): string {
  const out = path.join(tempDir("labq-merge-"), name);
  fs.writeFileSync(out, JSON.stringify(doc));
  return out;
}
