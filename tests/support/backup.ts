// Backup files for tests: made by the real exporter from real databases, then mutated.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { createExport, type ExportOptions } from "@/lib/backup/export/export";
import { writeExportToFile } from "@/lib/backup/export/write-file";
import { writeSnapshot } from "@/lib/backup/snapshot";
import { seededDatabase, tempDir } from "@/tests/support/db";

export interface BackupDoc {
  export_date: string;
  format_version?: number;
  schema_version?: string | null;
  models: Record<string, { model: string; pk: number; fields: Record<string, unknown> }[] | { error: string }>;
  integrity?: {
    complete: boolean;
    record_counts: Record<string, number>;
    records_sha256: string;
    errors: Record<string, string>;
  };
  [key: string]: unknown;
}

export async function exportText(file: string, options: ExportOptions = {}): Promise<string> {
  const backup = createExport({ ...options, file });
  let text = "";
  for await (const chunk of backup.chunks) text += chunk.toString("utf8");
  return text;
}

export async function exportFile(file: string, name = "backup.json"): Promise<string> {
  const out = path.join(tempDir("labq-backup-"), name);
  await writeExportToFile(out, { file });
  return out;
}

/** A real SQLite snapshot of another seeded database, then changed by `damage`. */
export async function snapshotWith(damage: (file: string) => void = () => {}): Promise<string> {
  const file = path.join(tempDir(), "snapshot.sqlite3");
  await writeSnapshot(file, seededDatabase(30, { activate: false, seed: 11 }));
  damage(file);
  return file;
}

export function writeTemp(content: string | Buffer, name = "backup.json"): string {
  const out = path.join(tempDir("labq-input-"), name);
  fs.writeFileSync(out, content);
  return out;
}

/**
 * A backup larger than the free space of the file system that holds `folder` (or its nearest
 * existing parent): a real file, sparse, so it takes next to no room itself. Its first bytes
 * open a JSON backup; the rest reads as zeros.
 */
export function backupLargerThanFreeDisk(folder: string): string {
  let dir = path.resolve(folder);
  while (!fs.existsSync(dir)) dir = path.dirname(dir);
  const disk = fs.statfsSync(dir);
  const out = writeTemp('{"format_version": 3, "models": {');
  fs.truncateSync(out, 2 * disk.bavail * disk.bsize);
  return out;
}

export function records(doc: BackupDoc, label: string) {
  const list = doc.models[label];
  if (!Array.isArray(list)) throw new Error(`${label} is not a record list`);
  return list;
}

/** A document's models without the "Database restored" notices a restore itself adds. */
export function withoutRestoreNotices(doc: BackupDoc): BackupDoc["models"] {
  const models = { ...doc.models };
  models["calendarEditor.Notification"] = records(doc, "calendarEditor.Notification").filter(
    (r) => r.fields.notification_type !== "database_restored" || r.fields.title !== "Database restored",
  );
  return models;
}

/**
 * Writes a document in the exporter's layout (one record per line). With `resign`, the
 * integrity block is recomputed so the file's only fault is the one a test put there.
 */
export function serializeBackup(doc: BackupDoc, { resign = true } = {}): string {
  const { models, integrity, ...header } = doc;
  const digest = createHash("sha256");
  const counts: Record<string, number> = {};
  const sections = Object.entries(models).map(([label, list]) => {
    if (!Array.isArray(list)) return `${JSON.stringify(label)}: ${JSON.stringify(list)}`;
    const lines = list.map((r) => {
      const json = JSON.stringify(r);
      digest.update(json).update("\n");
      return json;
    });
    counts[label] = list.length;
    return `${JSON.stringify(label)}: [${lines.length ? `\n${lines.join(",\n")}\n` : ""}]`;
  });
  const finalIntegrity =
    resign && integrity ? { ...integrity, record_counts: counts, records_sha256: digest.digest("hex") } : integrity;
  const head = JSON.stringify(header).slice(0, -1);
  const tail = finalIntegrity === undefined ? "" : `,\n"integrity": ${JSON.stringify(finalIntegrity)}`;
  return `${head},\n"models": {\n${sections.join(",\n")}\n}${tail}\n}\n`;
}

export function mutated(text: string, change: (doc: BackupDoc) => void, options?: { resign?: boolean }): string {
  const doc = JSON.parse(text) as BackupDoc;
  change(doc);
  return serializeBackup(doc, options);
}
