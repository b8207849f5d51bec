// Checks of the file as a whole, once it was read: its header (date, kind of export, format
// and schema version), that every model is there, and its integrity block (the exporter's
// own record counts and digest) against what was read.
import {
  BackupHeader,
  EXPORT_TYPE,
  FORMAT_VERSION,
  IntegrityBlock,
  LEGACY_DJANGO_FORMAT_VERSION,
  type RecordDigest,
} from "@/lib/backup/format/format";
import { BACKUP_LABELS } from "@/lib/backup/format/schema-model";
import { toStoredDateTime } from "@/lib/backup/format/values";
import type { Problems } from "@/lib/backup/verify/problems";
import type { BackupReport } from "@/lib/backup/verify/report";
import type { SourceKind } from "@/lib/backup/verify/source";
import { knownMigrations } from "@/lib/db/migrate";

/** Where the checks below record what they find. */
export interface Findings {
  problems: Problems;
  warnings: string[];
}

export type ParsedHeader = ReturnType<typeof BackupHeader.safeParse>;

/** The header's format version (the original app's for a file without one); null when the header is unusable. */
export function checkHeader(header: ParsedHeader, hasModels: boolean, { problems, warnings }: Findings): number | null {
  if (!hasModels) problems.file('There is no "models" section: this is not a backup of this app\'s database.');
  if (!header.success) {
    for (const issue of header.error.issues) {
      const where = issue.path.join(".") || "header";
      problems.file(`Header ${where}: ${issue.message}.`);
    }
    return null;
  }
  const {
    export_date: exportDate,
    format_version: version,
    schema_version: schema,
    export_type: exportType,
  } = header.data;
  if (toStoredDateTime(exportDate) === null)
    problems.file(`export_date ${JSON.stringify(exportDate)} is not a date and time.`);
  if (exportType !== undefined && exportType !== EXPORT_TYPE) {
    problems.file(`This file is a ${JSON.stringify(exportType)} export, not a complete database backup.`);
  }
  if (schema && !knownMigrations().includes(schema)) {
    warnings.push(
      `Made by a database at schema version ${schema}, which this app does not know; fields are matched by name.`,
    );
  }
  if (version === undefined) {
    warnings.push(
      "A backup from the original Django app (no format_version): it carries no digest or record counts to check.",
    );
    return LEGACY_DJANGO_FORMAT_VERSION;
  }
  if (version > FORMAT_VERSION) {
    problems.file(
      `This backup uses format version ${version}, newer than this app reads (up to ${FORMAT_VERSION}). Update the app to restore it.`,
    );
  }
  return version;
}

/** Every model must be in the file: missing from ours, it is cut short; from the original's, the table is emptied. */
export function checkLabels(seen: ReadonlySet<string>, formatVersion: number | null, { problems, warnings }: Findings) {
  for (const label of BACKUP_LABELS) {
    if (seen.has(label)) continue;
    if (formatVersion === LEGACY_DJANGO_FORMAT_VERSION)
      warnings.push(`No "${label}" records in the file; that table will be empty.`);
    else problems.file(`"${label}" is missing from "models": the file is incomplete.`);
  }
}

interface IntegrityFindings {
  declaredCounts: BackupReport["declaredCounts"];
  digest: BackupReport["digest"];
  complete: boolean;
}

/** One field of the integrity block that is wrong, named: "records_sha256 is missing". */
function issueWords(issue: { path: PropertyKey[]; message: string }): string {
  const field = issue.path.map(String).join(".") || "the block";
  return issue.message.endsWith("received undefined") ? `${field} is missing` : `${field}: ${issue.message}`;
}

/** What was read against the integrity block: counts per label and the records' digest. */
export function checkIntegrity(
  kind: SourceKind,
  formatVersion: number | null,
  block: { present: boolean; value: unknown },
  read: { counts: ReadonlyMap<string, number>; digest: RecordDigest },
  problems: Problems,
): IntegrityFindings {
  if (kind === "sqlite") return { declaredCounts: null, digest: "not-applicable", complete: problems.count === 0 };
  if (!block.present) {
    if (formatVersion !== null && formatVersion >= 1) {
      problems.file("The integrity block (record counts and digest) is missing: the file was cut short or edited.");
    }
    return { declaredCounts: null, digest: "absent", complete: problems.count === 0 };
  }
  const parsed = IntegrityBlock.safeParse(block.value);
  if (!parsed.success) {
    problems.file(
      `The integrity block (record counts and digest) is malformed: ${parsed.error.issues.map(issueWords).join("; ")}. ` +
        "The file was edited or damaged after it was made.",
    );
    return { declaredCounts: null, digest: "absent", complete: false };
  }
  const integrity = parsed.data;
  if (!integrity.complete) {
    const reasons = Object.entries(integrity.errors)
      .map(([l, e]) => `${l}: ${e}`)
      .join("; ");
    problems.file(`The file is marked incomplete by its exporter${reasons ? ` (${reasons})` : ""}.`);
  }
  for (const label of new Set([...Object.keys(integrity.record_counts), ...read.counts.keys()])) {
    const declared = integrity.record_counts[label] ?? 0;
    const actual = read.counts.get(label) ?? 0;
    if (declared !== actual)
      problems.file(`Count mismatch for "${label}": the file declares ${declared} records but holds ${actual}.`);
  }
  const actual = read.digest.hex();
  const matches = actual === integrity.records_sha256;
  if (!matches) {
    problems.file(
      `Digest mismatch: the records were changed after export (expected SHA-256 ${integrity.records_sha256.slice(0, 16)}…, got ${actual.slice(0, 16)}…).`,
    );
  }
  return {
    declaredCounts: integrity.record_counts,
    digest: matches ? "verified" : "mismatch",
    complete: integrity.complete,
  };
}
