// The backup document: a Django-compatible JSON file (see docs/backup-format.md).
//
//   { "export_date", "export_type", "format_version", "app", "schema_version", "django_version",
//     "models": { "<label>": [ { "model", "pk", "fields" }, … ] | { "error" }, … },
//     "integrity": { "complete", "record_counts", "records_sha256", "errors" } }
//
// Version 0 is the original Django app's file (no format_version, no integrity block);
// it is upgraded on read. Version 1 is what this app writes.
import { createHash, type Hash } from "node:crypto";

import { z } from "zod";

export const FORMAT_VERSION = 1;
/** The original app's marker of a complete backup; its importer refuses files without it. */
export const EXPORT_TYPE = "full_database_backup";
export const LEGACY_DJANGO_FORMAT_VERSION = 0;

export const IntegrityBlock = z.object({
  complete: z.boolean(),
  record_counts: z.record(z.string(), z.int().nonnegative()),
  records_sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be a hex SHA-256"),
  errors: z.record(z.string(), z.string()).default({}),
});
export type IntegrityBlock = z.infer<typeof IntegrityBlock>;

export const BackupHeader = z.object({
  export_date: z.string().min(1),
  export_type: z.string().optional(),
  format_version: z.int().nonnegative().optional(),
  app: z.object({ name: z.string(), version: z.string() }).nullish(),
  schema_version: z.string().nullish(),
  django_version: z.string().nullish(),
});
export type BackupHeader = z.infer<typeof BackupHeader>;

/** A model that could not be exported is written as `{ "error": "…" }` instead of its records. */
export const ModelError = z.object({ error: z.string() });

/**
 * SHA-256 over the records in file order, each as its compact JSON text plus "\n".
 * Re-serialising a parsed record gives the same text, so a reader needs no raw bytes.
 */
export class RecordDigest {
  private readonly hash: Hash = createHash("sha256");
  update(recordJson: string | Uint8Array): void {
    this.hash.update(recordJson);
    this.hash.update("\n");
  }
  hex(): string {
    return this.hash.digest("hex");
  }
}

/** `database_backup_YYYY-MM-DD_HH-MM-SS.json`, in UTC, as the Django app named its files. */
export function backupFilename(exportDate: Date, extension = "json"): string {
  const stamp = exportDate.toISOString().slice(0, 19).replace("T", "_").replaceAll(":", "-");
  return `database_backup_${stamp}.${extension}`;
}
