// Backup files for tests: made by the real exporter from real databases, then mutated.
import fs from "node:fs";
import path from "node:path";
import { createExport, type ExportOptions } from "@/lib/backup/export";
import { writeExportToFile } from "@/lib/backup/write-file";
import { tempDir } from "@/tests/support/db";

export interface BackupDoc {
  export_date: string;
  format_version?: number;
  schema_version?: string | null;
  models: Record<string, { model: string; pk: number; fields: Record<string, unknown> }[] | { error: string }>;
  integrity?: { complete: boolean; record_counts: Record<string, number>; records_sha256: string; errors: Record<string, string> };
  [key: string]: unknown;
}

export async function exportText(file: string, options: ExportOptions = {}): Promise<string> {
  const backup = createExport({ ...options, file });
  let text = "";
  for await (const chunk of backup.chunks) text += chunk;
  return text;
}

export async function exportFile(file: string, name = "backup.json"): Promise<string> {
  const out = path.join(tempDir("labq-backup-"), name);
  await writeExportToFile(out, { file });
  return out;
}

export function writeTemp(content: string | Buffer, name = "backup.json"): string {
  const out = path.join(tempDir("labq-input-"), name);
  fs.writeFileSync(out, content);
  return out;
}

export function records(doc: BackupDoc, label: string) {
  const list = doc.models[label];
  if (!Array.isArray(list)) throw new Error(`${label} is not a record list`);
  return list;
}
