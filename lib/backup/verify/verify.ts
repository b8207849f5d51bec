// Checks a whole backup without touching any database: structure, format version,
// labels, every record against the schema, duplicate keys, references that point
// nowhere, one-to-one clashes, counts and digest. Restore runs this as it loads;
// `npm run db:verify` prints it.
//
// Three kinds of finding: problems refuse the file; losses (data this app cannot keep)
// refuse it unless the person restoring accepts them; notes (what Django's own loader
// would also have done: values outside choices, converted types, defaults) only inform.
//
// The validator below only routes what the reader finds to the checks, each in its own file:
// record-checks.ts (each record), references.ts (what records point at), notes-and-losses.ts,
// file-checks.ts (header, models present, integrity block); problems.ts keeps the problems.
import fs from "node:fs";
import path from "node:path";

import { BackupHeader, FORMAT_VERSION, ModelError, RecordDigest } from "@/lib/backup/format/format";
import { BackupScanError, NotJsonObjectError, type ScanHandler } from "@/lib/backup/format/json-scanner";
import type { DecodedRecord } from "@/lib/backup/format/record-schema";
import { BACKUP_LABELS, modelByLabel, type ModelSpec } from "@/lib/backup/format/schema-model";
import { accountReader, type FileAccount } from "@/lib/backup/restore/sign-in-check";
import type { MadeFrom } from "@/lib/backup/snapshot-info";
import { checkHeader, checkIntegrity, checkLabels } from "@/lib/backup/verify/file-checks";
import type { IdLookup } from "@/lib/backup/verify/id-set";
import { NotesAndLosses } from "@/lib/backup/verify/notes-and-losses";
import { Problems } from "@/lib/backup/verify/problems";
import { RecordChecks, type ModelInProgress } from "@/lib/backup/verify/record-checks";
import { References } from "@/lib/backup/verify/references";
import { unreadableReport, type BackupReport } from "@/lib/backup/verify/report";
import {
  detectKind,
  readBackup,
  SQLITE_MADE_FROM,
  type ReadOptions,
  type SourceKind,
} from "@/lib/backup/verify/source";

export type { BackupLoss, BackupNote, BackupReport } from "@/lib/backup/verify/report";

/** Receives each valid record in file order, and the end of each model's list: restore loads through it. */
export interface RecordSink {
  record(model: ModelSpec, record: DecodedRecord): void;
  modelEnd?(model: ModelSpec): void;
}

class BackupValidator implements ScanHandler {
  private readonly problems = new Problems();
  private readonly warnings: string[] = [];
  private readonly references: References;
  private readonly records: RecordChecks;
  private readonly notes = new NotesAndLosses();
  private readonly members = new Map<string, unknown>();
  private readonly counts = new Map<string, number>();
  private readonly seenLabels = new Set<string>();
  private readonly accounts: FileAccount[] = [];
  private readonly readAccount = accountReader();
  private readonly digest = new RecordDigest();
  private sawModels = false;
  /** The model whose records are being read; null between models and for an unknown label. */
  private current: ModelInProgress | null = null;

  /** `existing`: primary keys the database keeps per label (a merge), which records may refer to. */
  constructor(
    private readonly sink?: RecordSink,
    existing?: ReadonlyMap<string, IdLookup>,
  ) {
    this.references = new References(this.problems, existing);
    this.records = new RecordChecks(this.problems, this.references);
  }

  member(key: string, value: unknown): void {
    if (this.members.has(key)) this.problems.file(`The top-level member "${key}" appears twice.`);
    this.members.set(key, value);
  }

  modelStart(label: string): void {
    this.sawModels = true;
    if (this.seenLabels.has(label)) this.problems.file(`"${label}" appears twice in "models".`);
    this.seenLabels.add(label);
    const model = modelByLabel(label);
    if (!model) {
      this.problems.file(`Unknown model label "${label}": this file is not a backup of this app's database.`);
      this.current = null;
      return;
    }
    this.current = this.records.start(model, this.notes.notesFor(model.label));
  }

  record(label: string, value: unknown, bytes: Uint8Array): void {
    if (bytes.length > 0) this.digest.update(bytes);
    const position = (this.counts.get(label) ?? 0) + 1;
    this.counts.set(label, position);
    const current = this.current;
    if (!current) return;
    const record = this.records.check(current, value, position);
    this.notes.recordRead(current.model, record);
    if (!record) return;
    if (current.model.name === "User") this.accounts.push(this.readAccount(record));
    this.sink?.record(current.model, record);
  }

  modelValue(label: string, value: unknown): void {
    this.sawModels = true;
    this.seenLabels.add(label);
    const failed = ModelError.safeParse(value);
    if (failed.success) this.notes.modelError(label, failed.data.error);
    else this.problems.file(`"${label}" should be a list of records.`);
  }

  modelEnd(label: string): void {
    if (this.current) {
      this.references.finish(label);
      this.sink?.modelEnd?.(this.current.model);
    }
    this.current = null;
  }

  /** Called after the whole source was read. */
  report(kind: SourceKind, fileBytes: number, fileSha256: string | null = null): BackupReport {
    const findings = { problems: this.problems, warnings: this.warnings };
    const header = BackupHeader.safeParse(Object.fromEntries(this.members));
    const formatVersion = checkHeader(header, this.sawModels || this.members.has("models"), findings);
    const counts = Object.fromEntries(BACKUP_LABELS.map((l) => [l, this.counts.get(l) ?? 0]));
    checkLabels(this.seenLabels, formatVersion, findings);
    this.references.checkPending();
    const losses = this.notes.modelErrorLosses(formatVersion, this.problems);
    const { declaredCounts, digest, complete } = checkIntegrity(
      kind,
      formatVersion,
      { present: this.members.has("integrity"), value: this.members.get("integrity") },
      { counts: this.counts, digest: this.digest },
      this.problems,
    );
    const fields = this.notes.fieldFindings();
    losses.push(...fields.losses);
    const data = header.success ? header.data : undefined;
    return {
      ok: this.problems.count === 0,
      kind,
      fileBytes,
      exportDate: data?.export_date ?? null,
      madeFrom: !data?.export_date
        ? null
        : kind === "sqlite"
          ? ((this.members.get(SQLITE_MADE_FROM) as MadeFrom | undefined) ?? null)
          : "export",
      formatVersion,
      upgradedFrom: formatVersion !== null && formatVersion < FORMAT_VERSION ? formatVersion : null,
      schemaVersion: data?.schema_version ?? null,
      app: data?.app ? `${data.app.name} ${data.app.version}` : null,
      djangoVersion: data?.django_version ?? null,
      counts,
      declaredCounts,
      digest,
      complete,
      problems: this.problems.list(),
      warnings: this.warnings,
      notes: fields.notes,
      losses,
      accounts: this.accounts,
      fileSha256,
    };
  }
}

const SQLITE_NAME = /\.(sqlite3?|db)$/i;

/**
 * Why a file that starts with neither "{" nor SQLite's header (nor gzip's) is refused. Said of
 * the file as a whole: "does not start with a JSON object" is right but tells someone who
 * uploaded a damaged snapshot (random bytes, a file cut at the front) nothing they can act on.
 */
export function notABackupMessage(fileName: string, startsWithList = false): string {
  // The archive's JSON export (and the copy taken before a clear) is such a list, as is Django's
  // `manage.py dumpdata`: neither carries the backup's export date, counts or digest.
  if (startsWithList) {
    return (
      "This file is a bare list of records (like the archive's JSON export, or Django's dumpdata), not a backup of " +
      "the whole database, so it cannot be restored here. Restore a JSON export (from this app or the original " +
      "app's Manage Storage) or a SQLite snapshot instead."
    );
  }
  const neither =
    "This is not a backup this app can read: it is neither a JSON export nor a SQLite snapshot " +
    '(a SQLite file starts with "SQLite format 3").';
  if (!SQLITE_NAME.test(fileName)) return neither;
  return (
    `${neither} Its name (${fileName}) says SQLite, but its first bytes are not a SQLite file's: ` +
    "it looks damaged. Try another copy of this backup."
  );
}

/** The file's first character after any white space ("" when there is none in its first bytes). */
function firstCharacter(file: string): string {
  const fd = fs.openSync(file, "r");
  try {
    const head = Buffer.alloc(64);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n).toString("utf8").trimStart().charAt(0);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads and checks a backup file; `sink` receives each valid record (restore's loading pass).
 * `fileName`: the name people know the file by, when `file` is an upload's stored copy.
 */
export async function verifyBackupFile(
  file: string,
  options: ReadOptions & { sink?: RecordSink; existing?: ReadonlyMap<string, IdLookup>; fileName?: string } = {},
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
    if (error instanceof NotJsonObjectError && kind === "json") {
      const message = notABackupMessage(options.fileName ?? path.basename(file), firstCharacter(file) === "[");
      return unreadableReport(kind, fileBytes, message);
    }
    if (error instanceof BackupScanError) return unreadableReport(kind, fileBytes, error.message);
    throw error;
  }
  return validator.report(kind, fileBytes, sha256);
}
