// What a restore of a checked file would change, in one sentence: shown in the dry run,
// repeated in the confirm dialog, printed by the CLI.
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

/** "QueueEntry" → "queue entry" / "queue entries": the model's name in words, from the schema. */
export function nounOf(name: string): { one: string; many: string } {
  const one = name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return { one, many: one.endsWith("y") ? `${one.slice(0, -1)}ies` : `${one}s` };
}

export function modelChanges(report: BackupReport, current: Record<string, number>): ModelChange[] {
  return BACKUP_MODELS.map((m) => {
    const inFile = report.counts[m.label] ?? 0;
    const now = current[m.label] ?? 0;
    return { label: m.label, noun: nounOf(m.name), inFile, now, change: inFile - now };
  });
}

/** "Replaces 1,842 rows with 1,839: 303 notifications fewer, 1 user fewer. The backup is 374 days old." */
export function restoreSummary(report: BackupReport, current: Record<string, number>, now = new Date()): string {
  const changes = modelChanges(report, current);
  const total = (pick: (c: ModelChange) => number) => changes.reduce((n, c) => n + pick(c), 0);
  const fewer = changes
    .filter((c) => c.change < 0)
    .map((c) => `${formatCount(-c.change)} ${plural(-c.change, c.noun.one, c.noun.many)} fewer`);
  const rows = (n: number) => `${formatCount(n)} ${plural(n, "row")}`;
  const losses = fewer.length > 0 ? `: ${fewer.join(", ")}` : "";
  const age = report.exportDate ? ` The backup was made ${ageInWords(report.exportDate, now)}.` : "";
  return `Replaces ${rows(total((c) => c.now))} with ${rows(total((c) => c.inFile))}${losses}.${age}`;
}
