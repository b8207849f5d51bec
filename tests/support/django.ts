// The original app's side of the compatibility tests: the real backups it wrote, and a
// Django project (tests/compat/django, Debian's python3-django) that writes and loads
// backups with Django's own serializer and deserializer.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

import type { BackupDoc } from "@/tests/support/backup";
import { tempDir } from "@/tests/support/db";

const run = promisify(execFile);

/** Debian's interpreter, which has python3-django; a pyenv python3 on PATH may not. */
const PYTHON = process.env.DJANGO_PYTHON ?? "/usr/bin/python3";
const COMPAT = path.resolve("tests/compat/django/compat.py");

/** The anonymized backups the original app wrote on a real deployment (README beside them). */
export const REAL_BACKUPS = {
  february: path.resolve("tests/fixtures/django-real/database_backup_2026-02-12_07-32-28.json"),
  may: path.resolve("tests/fixtures/django-real/database_backup_2026-05-20_09-56-51.json"),
} as const;

export type DjangoRecord = { model: string; pk: number; fields: Record<string, unknown> };

export function readDoc(file: string): BackupDoc {
  return JSON.parse(fs.readFileSync(file, "utf8")) as BackupDoc;
}

export function recordList(doc: BackupDoc, label: string): DjangoRecord[] {
  const list = doc.models[label];
  if (!Array.isArray(list)) throw new Error(`${label} is not a record list`);
  return list;
}

/** A backup written by Django's serializer from data the Django project makes itself. */
export async function djangoWrittenBackup(): Promise<string> {
  const out = path.join(tempDir("labq-django-"), "django_backup.json");
  await run(PYTHON, [COMPAT, "write", out]);
  return out;
}

export interface DjangoLoad {
  loaded: Record<string, number>;
  refused: { label: string; pk: unknown; error: string }[];
  /** What Django holds afterwards, dumped by its own serializer. */
  dump: BackupDoc;
}

/** Loads a backup as the original app's importer does (record by record, Django's deserializer). */
export async function loadIntoDjango(file: string): Promise<DjangoLoad> {
  const dumpFile = path.join(tempDir("labq-django-"), "dump.json");
  const { stdout } = await run(PYTHON, [COMPAT, "load", file, dumpFile], { maxBuffer: 64 * 1024 * 1024 });
  return { ...(JSON.parse(stdout) as Omit<DjangoLoad, "dump">), dump: readDoc(dumpFile) };
}

/**
 * A record's fields as Django stores them: a boolean or number in a text field becomes its
 * Python text (`true` → "True"). `textFields` names the fields that hold text.
 */
export function asDjangoStores(
  fields: Record<string, unknown>,
  textFields: ReadonlySet<string>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => {
      if (!textFields.has(name) || typeof value === "string" || value === null) return [name, value];
      return [name, typeof value === "boolean" ? (value ? "True" : "False") : String(value)];
    }),
  );
}

export type DjangoVerdict =
  | { parsed: false; error: string; envelope_error?: undefined }
  | {
      parsed: true;
      /** Set when the importer refuses the file as a whole. */
      envelope_error?: string;
      loaded: Record<string, number>;
      refused: DjangoLoad["refused"];
      /** Rows whose foreign keys point nowhere once everything is loaded. */
      dangling: number;
      /** What Django would hold, dumped by its serializer. */
      dump?: Record<string, DjangoRecord[]>;
    };

/** What the original importer makes of each file, in one Django process (each load rolled back). */
export async function djangoVerdicts(files: string[]): Promise<DjangoVerdict[]> {
  const dir = tempDir("labq-django-");
  const list = path.join(dir, "files.json");
  const out = path.join(dir, "verdicts.json");
  fs.writeFileSync(list, JSON.stringify(files));
  await run(PYTHON, [COMPAT, "verdicts", list, out], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(fs.readFileSync(out, "utf8")) as DjangoVerdict[];
}
