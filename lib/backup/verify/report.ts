// What checking a backup finds, as the dry run, `npm run db:verify` and a restore read it.
import type { NoteKind } from "@/lib/backup/format/record-schema";
import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import type { FileAccount } from "@/lib/backup/restore/sign-in-check";
import type { MadeFrom } from "@/lib/backup/snapshot-info";
import type { SourceKind } from "@/lib/backup/verify/source";

export interface BackupReport {
  /** True only when the file is whole and can be restored. */
  ok: boolean;
  kind: SourceKind | null;
  fileBytes: number;
  /** When the data was made (see madeFrom). */
  exportDate: string | null;
  /**
   * Where exportDate comes from: a JSON backup's export time; for a SQLite file, the time our
   * snapshot recorded when taken, or the newest change its rows record (never the file's mtime).
   */
  madeFrom: "export" | MadeFrom | null;
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

/** The report on a file that could not be read through: one problem, nothing found. */
export function unreadableReport(kind: SourceKind | null, fileBytes: number, message: string): BackupReport {
  return {
    ok: false,
    kind,
    fileBytes,
    exportDate: null,
    madeFrom: null,
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
