// What a restore of a checked file would change, in one sentence: shown in the dry run,
// repeated in the confirm dialog, printed by the CLI.
import { modelNoun } from "@/lib/backup/format/labels";
import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import type { BackupReport } from "@/lib/backup/verify/verify";
import { ageInWords, formatCount, plural } from "@/lib/format";

export interface ModelChange {
  label: string;
  /** Plain name of one row and of several: "queue entry", "queue entries". */
  noun: { one: string; many: string };
  inFile: number;
  now: number;
  /** inFile − now: negative means rows the restore takes away. */
  change: number;
}

export function modelChanges(report: BackupReport, current: Record<string, number>): ModelChange[] {
  return BACKUP_MODELS.map((m) => {
    const inFile = report.counts[m.label] ?? 0;
    const now = current[m.label] ?? 0;
    return { label: m.label, noun: modelNoun(m.name), inFile, now, change: inFile - now };
  });
}

/**
 * "Replaces 396 rows with 916 rows: 7 machines fewer; 14 users more, 457 notifications more. The
 * backup was made 3 days ago." What shrinks first (what the restore takes away), then what grows.
 */
export function restoreSummary(report: BackupReport, current: Record<string, number>, now = new Date()): string {
  const changes = modelChanges(report, current);
  const total = (pick: (c: ModelChange) => number) => changes.reduce((n, c) => n + pick(c), 0);
  const amount = (c: ModelChange, word: string) =>
    `${formatCount(Math.abs(c.change))} ${plural(Math.abs(c.change), c.noun.one, c.noun.many)} ${word}`;
  const fewer = changes.filter((c) => c.change < 0).map((c) => amount(c, "fewer"));
  const more = changes.filter((c) => c.change > 0).map((c) => amount(c, "more"));
  const rows = (n: number) => `${formatCount(n)} ${plural(n, "row")}`;
  const parts = [fewer, more].filter((list) => list.length > 0).map((list) => list.join(", "));
  const what = parts.length > 0 ? `: ${parts.join("; ")}` : ", the same number of each";
  const age = ageSentence(report, now);
  return `Replaces ${rows(total((c) => c.now))} with ${rows(total((c) => c.inFile))}${what}.${age}`;
}

/** " The backup was made 3 days ago.", or, for a SQLite file, what its content says of its age. */
function ageSentence(report: BackupReport, now = new Date()): string {
  if (!report.exportDate) return "";
  const age = ageInWords(report.exportDate, now);
  switch (report.madeFrom) {
    case "snapshot-taken":
      return ` The snapshot was taken ${age}.`;
    case "newest-change":
      return ` The newest change in this file is ${age}.`;
    case "schema-migration":
      return ` This file records no changes; its tables were set up ${age}.`;
    default:
      return ` The backup was made ${age}.`;
  }
}
