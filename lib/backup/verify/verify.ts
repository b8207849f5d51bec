// Checks a whole backup without touching any database: structure, format version,
// labels, every record against the schema, duplicate keys, references that point
// nowhere, one-to-one clashes, counts and digest. Restore runs this before it deletes
// anything; `npm run db:verify` prints it.
//
// Three kinds of finding: problems refuse the file; losses (data this app cannot keep)
// refuse it unless the person restoring accepts them; notes (what Django's own loader
// would also have done: values outside choices, converted types, defaults) only inform.
import fs from "node:fs";

import {
  BackupHeader,
  EXPORT_TYPE,
  FORMAT_VERSION,
  IntegrityBlock,
  LEGACY_DJANGO_FORMAT_VERSION,
  ModelError,
  RecordDigest,
} from "@/lib/backup/format/format";
import { BackupScanError, type ScanHandler } from "@/lib/backup/format/json-scanner";
import {
  createRecordDecoder,
  type DecodedRecord,
  type DecodeNotes,
  type NoteKind,
  type RecordDecoder,
} from "@/lib/backup/format/record-schema";
import {
  BACKUP_LABELS,
  BACKUP_MODELS,
  modelByLabel,
  modelByName,
  type ModelSpec,
} from "@/lib/backup/format/schema-model";
import { toStoredDateTime } from "@/lib/backup/format/values";
import { accountReader, type FileAccount } from "@/lib/backup/restore/sign-in-check";
import { IdSet, type IdLookup } from "@/lib/backup/verify/id-set";
import { detectKind, readBackup, type ReadOptions, type SourceKind } from "@/lib/backup/verify/source";
import { knownMigrations } from "@/lib/db/migrate";
import { formatCount, plural } from "@/lib/format";

export interface BackupReport {
  /** True only when the file is whole and can be restored. */
  ok: boolean;
  kind: SourceKind | null;
  fileBytes: number;
  exportDate: string | null;
  formatVersion: number | null;
  /** Set when an older format was upgraded on read. */
  upgradedFrom: number | null;
  schemaVersion: string | null;
  app: string | null;
  djangoVersion: string | null;
  /** Records found per label, in restore order. */
  counts: Record<string, number>;
  /** Counts the file declares about itself (format 1 and later). */
  declaredCounts: Record<string, number> | null;
  digest: "verified" | "mismatch" | "absent" | "not-applicable";
  complete: boolean;
  problems: string[];
  warnings: string[];
  /** What loads differently from the file, as Django's loader would load it too. */
  notes: BackupNote[];
  /** Data in the file this app cannot keep: a restore needs it accepted. */
  losses: BackupLoss[];
  /** Every valid account in the file, for the sign-in check (never sent to a browser). */
  accounts: FileAccount[];
  /** SHA-256 of the file's bytes as stored (compressed, for a .json.gz). */
  fileSha256: string | null;
}

export interface BackupNote {
  label: string;
  field: string;
  kind: NoteKind | "ignored";
  count: number;
  text: string;
}

export interface BackupLoss {
  label: string;
  /** null when a whole model is missing from the file. */
  field: string | null;
  /** How many non-empty values would be lost (0 for a whole model). */
  values: number;
  text: string;
}

/** Whether a restore of this report may go ahead. */
export function isRestorable(report: BackupReport, acceptLoss = false): boolean {
  return report.ok && (acceptLoss || report.losses.length === 0);
}

const MAX_LISTED_PROBLEMS = 50;

interface PendingReference {
  from: string;
  column: string;
  target: string;
  /** Flat pairs: record pk, referenced pk. */
  pairs: number[];
}

/** Receives each valid record in file order, and the end of each model's list: restore loads through it. */
export interface RecordSink {
  record(model: ModelSpec, record: DecodedRecord): void;
  modelEnd?(model: ModelSpec): void;
}

export class BackupValidator implements ScanHandler {
  private readonly members = new Map<string, unknown>();
  private readonly decoders = new Map<string, RecordDecoder>();
  private readonly counts = new Map<string, number>();
  private readonly pks = new Map<string, IdSet>();
  private readonly finishedLabels = new Set<string>();
  private readonly seenLabels = new Set<string>();
  private readonly uniques = new Map<string, Map<unknown, number>>();
  private readonly pending: PendingReference[] = [];
  private readonly unknownFields = new Map<string, Map<string, { count: number; values: number }>>();
  private readonly noteCounts = new Map<string, Omit<BackupNote, "text"> & { example: string; category: string }>();
  private readonly modelErrors = new Map<string, string>();
  private readonly accounts: FileAccount[] = [];
  private readonly readAccount = accountReader();
  private readonly digest = new RecordDigest();
  /** Problems with single records (listed up to a limit) and with the file as a whole (all listed, first). */
  private readonly problems: string[] = [];
  private readonly fileProblems: string[] = [];
  private problemCount = 0;
  private readonly warnings: string[] = [];
  private sawModels = false;
  private current: { label: string; decoder?: RecordDecoder; pks?: IdSet; notes?: DecodeNotes } | null = null;

  /**
   * `existing`: primary keys already in the database per label. A merge keeps those rows, so a
   * record may refer to them; a full restore passes none and every reference must be in the file.
   */
  constructor(
    private readonly sink?: RecordSink,
    private readonly existing?: ReadonlyMap<string, IdLookup>,
  ) {}

  private isKnown(target: string, value: number): boolean {
    return Boolean(this.pks.get(target)?.has(value) || this.existing?.get(target)?.has(value));
  }

  problem(message: string): void {
    this.problemCount++;
    if (this.problems.length < MAX_LISTED_PROBLEMS) this.problems.push(message);
  }

  private fileProblem(message: string): void {
    this.problemCount++;
    this.fileProblems.push(message);
  }

  member(key: string, value: unknown): void {
    if (this.members.has(key)) this.fileProblem(`The top-level member "${key}" appears twice.`);
    this.members.set(key, value);
  }

  modelStart(label: string): void {
    this.sawModels = true;
    if (this.seenLabels.has(label)) this.fileProblem(`"${label}" appears twice in "models".`);
    this.seenLabels.add(label);
    const model = modelByLabel(label);
    if (!model) {
      this.fileProblem(`Unknown model label "${label}": this file is not a backup of this app's database.`);
      this.current = { label };
      return;
    }
    let decoder = this.decoders.get(label);
    if (!decoder) this.decoders.set(label, (decoder = createRecordDecoder(model)));
    const pks = this.pks.get(label) ?? new IdSet();
    this.pks.set(label, pks);
    this.current = { label, decoder, pks, notes: this.notesFor(model.label) };
  }

  private notesFor(label: string): DecodeNotes {
    return {
      note: (field, kind, category, example) => {
        const key = `${label}\u0000${field}\u0000${kind}\u0000${category}`;
        const entry = this.noteCounts.get(key);
        if (entry) entry.count++;
        else this.noteCounts.set(key, { label, field, kind, category, example, count: 1 });
      },
      unknownField: (field, value) => {
        const perLabel = this.unknownFields.get(label) ?? new Map<string, { count: number; values: number }>();
        this.unknownFields.set(label, perLabel);
        const entry = perLabel.get(field) ?? { count: 0, values: 0 };
        perLabel.set(field, entry);
        entry.count++;
        if (!isEmptyValue(value)) entry.values++;
      },
    };
  }

  record(label: string, value: unknown, bytes: Uint8Array): void {
    if (bytes.length > 0) this.digest.update(bytes);
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
    const { decoder, pks, notes } = this.current ?? {};
    if (!decoder || !pks) return;
    const position = this.counts.get(label)!;
    const result = decoder.decode(value, notes);
    if (!result.ok) {
      const pk = (value as { pk?: unknown } | null)?.pk;
      this.problem(`${label} record ${typeof pk === "number" ? `pk ${pk}` : `#${position}`}: ${result.error}`);
      return;
    }
    const { pk } = result.value;
    if (pks.has(pk)) {
      this.problem(`${label}: primary key ${pk} appears more than once.`);
      return;
    }
    pks.add(pk);
    this.checkRecordLinks(decoder.model, result.value);
    if (decoder.model.name === "User") this.accounts.push(this.readAccount(result.value));
    this.sink?.record(decoder.model, result.value);
  }

  private checkRecordLinks(model: ModelSpec, record: DecodedRecord): void {
    model.columns.forEach((column, i) => {
      const value = record.params[i];
      if (value === null || value === undefined) return;
      if (column.unique && !column.isId) {
        const key = `${model.label}.${column.django}`;
        const seen = this.uniques.get(key) ?? new Map<unknown, number>();
        this.uniques.set(key, seen);
        const other = seen.get(value);
        if (other !== undefined) {
          const what = column.references
            ? `one-to-one clash: both pk ${other} and pk ${record.pk} belong to ${column.django} ${value}`
            : `pk ${other} and pk ${record.pk} share ${column.django} ${JSON.stringify(value)}, which must be unique`;
          this.problem(`${model.label}: ${what}.`);
        } else seen.set(value, record.pk);
      }
      if (column.references)
        this.reference(model.label, column.django, modelByName(column.references).label, record.pk, value as number);
    });
    model.manyToMany.forEach((rel, i) => {
      const targets = record.links[i]!;
      if (new Set(targets).size !== targets.length) {
        this.problem(`${model.label} pk ${record.pk}: ${rel.django} lists the same pk twice.`);
      }
      const target = modelByName(rel.target).label;
      for (const t of targets) this.reference(model.label, rel.django, target, record.pk, t);
    });
  }

  private reference(from: string, column: string, target: string, pk: number, value: number): void {
    if (this.finishedLabels.has(target)) {
      if (!this.isKnown(target, value)) this.danglingReference(from, column, target, pk, value);
      return;
    }
    let entry = this.pending.find((p) => p.from === from && p.column === column);
    if (!entry) this.pending.push((entry = { from, column, target, pairs: [] }));
    entry.pairs.push(pk, value);
  }

  private danglingReference(from: string, column: string, target: string, pk: number, value: number) {
    this.problem(`${from} pk ${pk}: ${column} points to ${target} pk ${value}, which is not in the file.`);
  }

  modelValue(label: string, value: unknown): void {
    this.sawModels = true;
    this.seenLabels.add(label);
    const failed = ModelError.safeParse(value);
    if (failed.success) this.modelErrors.set(label, failed.data.error);
    else this.fileProblem(`"${label}" should be a list of records.`);
  }

  modelEnd(label: string): void {
    if (this.current?.pks) this.finishedLabels.add(label);
    if (this.current?.decoder) this.sink?.modelEnd?.(this.current.decoder.model);
    this.current = null;
  }

  /** Called after the whole source was read. */
  report(kind: SourceKind, fileBytes: number, fileSha256: string | null = null): BackupReport {
    const header = BackupHeader.safeParse(Object.fromEntries(this.members));
    const formatVersion = this.checkHeader(header);
    const counts = Object.fromEntries(BACKUP_LABELS.map((l) => [l, this.counts.get(l) ?? 0]));
    this.checkLabels(formatVersion);
    for (const p of this.pending) {
      for (let i = 0; i < p.pairs.length; i += 2) {
        if (!this.isKnown(p.target, p.pairs[i + 1]!))
          this.danglingReference(p.from, p.column, p.target, p.pairs[i]!, p.pairs[i + 1]!);
      }
    }
    const losses = this.checkModelErrors(formatVersion);
    const { declaredCounts, digest, complete } = this.checkIntegrity(kind, formatVersion);
    const notes = [...this.noteCounts.values()].map(noteWithText);
    for (const [label, fields] of this.unknownFields) {
      for (const [field, { count, values }] of fields) {
        if (values > 0) {
          losses.push({
            label,
            field,
            values,
            text: `${label}.${field}: a field this app does not have, with ${formatCount(values)} non-empty ${plural(values, "value")}; they would be lost.`,
          });
        } else {
          notes.push({
            label,
            field,
            kind: "ignored",
            count,
            text: `${label}.${field}: a field this app does not have, empty in all ${formatCount(count)} ${plural(count, "record")}; ignored.`,
          });
        }
      }
    }
    const listed = [...this.fileProblems, ...this.problems];
    if (this.problemCount > listed.length) listed.push(`…and ${this.problemCount - listed.length} more problems.`);
    const data = header.success ? header.data : undefined;
    return {
      ok: this.problemCount === 0,
      kind,
      fileBytes,
      exportDate: data?.export_date ?? null,
      formatVersion,
      upgradedFrom: formatVersion !== null && formatVersion < FORMAT_VERSION ? formatVersion : null,
      schemaVersion: data?.schema_version ?? null,
      app: data?.app ? `${data.app.name} ${data.app.version}` : null,
      djangoVersion: data?.django_version ?? null,
      counts,
      declaredCounts,
      digest,
      complete,
      problems: listed,
      warnings: this.warnings,
      notes,
      losses,
      accounts: this.accounts,
      fileSha256,
    };
  }

  /**
   * A model the original app failed to export (`{ "error": … }`): the file holds none of its
   * records. In the original's files that is a loss to accept; in ours, whose integrity block
   * marks the file incomplete, it refuses the file.
   */
  private checkModelErrors(formatVersion: number | null): BackupLoss[] {
    const losses: BackupLoss[] = [];
    for (const [label, error] of this.modelErrors) {
      if (formatVersion === LEGACY_DJANGO_FORMAT_VERSION) {
        losses.push({
          label,
          field: null,
          values: 0,
          text: `${label}: the original app could not export this model (${error}); the file holds none of its records, so that table would be emptied.`,
        });
      } else {
        this.fileProblem(`"${label}" failed to export (${error}); the file is incomplete.`);
      }
    }
    return losses;
  }

  private checkHeader(header: ReturnType<typeof BackupHeader.safeParse>): number | null {
    if (!this.sawModels && !this.members.has("models")) {
      this.fileProblem('There is no "models" section: this is not a backup of this app\'s database.');
    }
    if (!header.success) {
      for (const issue of header.error.issues) {
        const where = issue.path.join(".") || "header";
        this.fileProblem(`Header ${where}: ${issue.message}.`);
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
      this.fileProblem(`export_date ${JSON.stringify(exportDate)} is not a date and time.`);
    if (exportType !== undefined && exportType !== EXPORT_TYPE) {
      this.fileProblem(`This file is a ${JSON.stringify(exportType)} export, not a complete database backup.`);
    }
    if (schema && !knownMigrations().includes(schema)) {
      this.warnings.push(
        `Made by a database at schema version ${schema}, which this app does not know; fields are matched by name.`,
      );
    }
    if (version === undefined) {
      this.warnings.push(
        "A backup from the original Django app (no format_version): it carries no digest or record counts to check.",
      );
      return LEGACY_DJANGO_FORMAT_VERSION;
    }
    if (version > FORMAT_VERSION) {
      this.fileProblem(
        `This backup uses format version ${version}, newer than this app reads (up to ${FORMAT_VERSION}). Update the app to restore it.`,
      );
    }
    return version;
  }

  private checkLabels(formatVersion: number | null): void {
    for (const label of BACKUP_LABELS) {
      if (this.seenLabels.has(label)) continue;
      if (formatVersion === LEGACY_DJANGO_FORMAT_VERSION)
        this.warnings.push(`No "${label}" records in the file; that table will be empty.`);
      else this.fileProblem(`"${label}" is missing from "models": the file is incomplete.`);
    }
  }

  private checkIntegrity(kind: SourceKind, formatVersion: number | null) {
    if (kind === "sqlite") {
      return { declaredCounts: null, digest: "not-applicable" as const, complete: this.problemCount === 0 };
    }
    if (!this.members.has("integrity")) {
      if (formatVersion !== null && formatVersion >= 1) {
        this.fileProblem(
          "The integrity block (record counts and digest) is missing: the file was cut short or edited.",
        );
      }
      return { declaredCounts: null, digest: "absent" as const, complete: this.problemCount === 0 };
    }
    const parsed = IntegrityBlock.safeParse(this.members.get("integrity"));
    if (!parsed.success) {
      this.fileProblem(`The integrity block is malformed: ${parsed.error.issues.map((i) => i.message).join("; ")}.`);
      return { declaredCounts: null, digest: "absent" as const, complete: false };
    }
    const integrity = parsed.data;
    if (!integrity.complete) {
      const reasons = Object.entries(integrity.errors)
        .map(([l, e]) => `${l}: ${e}`)
        .join("; ");
      this.fileProblem(`The file is marked incomplete by its exporter${reasons ? ` (${reasons})` : ""}.`);
    }
    for (const label of new Set([...Object.keys(integrity.record_counts), ...this.counts.keys()])) {
      const declared = integrity.record_counts[label] ?? 0;
      const actual = this.counts.get(label) ?? 0;
      if (declared !== actual)
        this.fileProblem(`Count mismatch for "${label}": the file declares ${declared} records but holds ${actual}.`);
    }
    const actual = this.digest.hex();
    const matches = actual === integrity.records_sha256;
    if (!matches) {
      this.fileProblem(
        `Digest mismatch: the records were changed after export (expected SHA-256 ${integrity.records_sha256.slice(0, 16)}…, got ${actual.slice(0, 16)}…).`,
      );
    }
    return {
      declaredCounts: integrity.record_counts,
      digest: matches ? ("verified" as const) : ("mismatch" as const),
      complete: integrity.complete,
    };
  }
}

function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

function noteWithText(note: Omit<BackupNote, "text"> & { example: string; category: string }): BackupNote {
  const { label, field, kind, count, example, category } = note;
  const where = `${label}.${field}`;
  const times = `${formatCount(count)} ${plural(count, "record")}`;
  const text =
    kind === "outside-choices"
      ? `${where}: ${example} in ${times} is not one of the field's choices; loaded unchanged, as Django does.`
      : kind === "converted"
        ? `${where}: ${times} ${plural(count, "holds", "hold")} ${category.split(" → ")[0]} where ${category.split(" → ")[1]} belongs; stored as Django stores it (e.g. ${example}).`
        : `${where}: missing from ${times} (an older file); filled with the default, ${example}.`;
  return { label, field, kind, count, text };
}

function unreadableReport(kind: SourceKind | null, fileBytes: number, message: string): BackupReport {
  return {
    ok: false,
    kind,
    fileBytes,
    exportDate: null,
    formatVersion: null,
    upgradedFrom: null,
    schemaVersion: null,
    app: null,
    djangoVersion: null,
    counts: Object.fromEntries(BACKUP_MODELS.map((m) => [m.label, 0])),
    declaredCounts: null,
    digest: "absent",
    complete: false,
    problems: [message],
    warnings: [],
    notes: [],
    losses: [],
    accounts: [],
    fileSha256: null,
  };
}

/** Reads and checks a backup file; `sink` receives each valid record (restore's loading pass). */
export async function verifyBackupFile(
  file: string,
  options: ReadOptions & { sink?: RecordSink; existing?: ReadonlyMap<string, IdLookup> } = {},
): Promise<BackupReport> {
  let fileBytes = 0;
  try {
    fileBytes = fs.statSync(file).size;
  } catch {
    return unreadableReport(null, 0, `The file ${file} does not exist or cannot be read.`);
  }
  if (fileBytes === 0) return unreadableReport("json", 0, "The file is empty.");
  const validator = new BackupValidator(options.sink, options.existing);
  // Known before reading, so a file refused part-way still says what kind it is.
  const kind = detectKind(file);
  let sha256: string;
  try {
    sha256 = await readBackup(file, kind, validator, options);
  } catch (error) {
    if (error instanceof BackupScanError) return unreadableReport(kind, fileBytes, error.message);
    throw error;
  }
  return validator.report(kind, fileBytes, sha256);
}
