// Plain-text rendering of a verification report, for the CLIs and the job summary.
import { LEGACY_DJANGO_FORMAT_VERSION } from "@/lib/backup/format/format";
import { humanModelName } from "@/lib/backup/format/labels";
import type { BackupReport } from "@/lib/backup/verify/verify";
import { formatBytes, formatCount } from "@/lib/format";

function formatLine(report: BackupReport): string {
  if (report.formatVersion === null) return "–";
  if (report.formatVersion === LEGACY_DJANGO_FORMAT_VERSION)
    return "0 (the original Django app's file, read with Django's rules)";
  return String(report.formatVersion);
}

/** The date line's label: a SQLite file's date comes from its content (snapshot-info.ts), never its mtime. */
const MADE_LINE: Record<NonNullable<BackupReport["madeFrom"]>, string> = {
  export: "Exported:        ",
  "snapshot-taken": "Snapshot taken:  ",
  "newest-change": "Newest change:   ",
  "schema-migration": "Tables set up:   ",
};

/** Wide enough for the longest entity name, "Notification preferences". */
const NAME_WIDTH = 26;

/** A table's first column: the entity's one name ("Queue entries"), padded; null for the header row. */
export function entityColumn(label: string | null): string {
  return (label === null ? "Records" : humanModelName(label)).padEnd(NAME_WIDTH);
}

export function reportLines(report: BackupReport, current?: Record<string, number>): string[] {
  const lines = [
    `Source:          ${report.kind ?? "unreadable"} · ${formatBytes(report.fileBytes)}`,
    `${MADE_LINE[report.madeFrom ?? "export"]}${report.exportDate ?? "–"}`,
    `Format version:  ${formatLine(report)}`,
    `Schema version:  ${report.schemaVersion ?? "–"}`,
    `Made by:         ${report.app ?? (report.djangoVersion ? `Django ${report.djangoVersion}` : "–")}`,
    `Digest:          ${report.digest}`,
    "",
    `${entityColumn(null)} ${"in file".padStart(10)}${current ? ` ${"now".padStart(10)}` : ""}  in the file as`,
  ];
  // The file's own label last, for someone comparing with the file.
  for (const [label, n] of Object.entries(report.counts)) {
    lines.push(
      `${entityColumn(label)} ${formatCount(n).padStart(10)}${current ? ` ${formatCount(current[label] ?? 0).padStart(10)}` : ""}  ${label}`,
    );
  }
  const section = (title: string, items: string[]) => {
    if (items.length > 0) lines.push("", title, ...items.map((item) => `  - ${item}`));
  };
  section("Warnings:", report.warnings);
  section(
    "Notes (loaded as Django's own loader loads them):",
    report.notes.map((n) => n.text),
  );
  section(
    "Data this app cannot keep (a restore needs --accept-loss):",
    report.losses.map((l) => l.text),
  );
  section("Problems:", report.problems);
  lines.push("", verdict(report));
  return lines;
}

function verdict(report: BackupReport): string {
  if (!report.ok) return "NOT RESTORABLE: see the problems above.";
  if (report.losses.length > 0) return "RESTORABLE ONLY WITH --accept-loss: the data listed above would be lost.";
  return "OK: the backup is whole and restorable.";
}
