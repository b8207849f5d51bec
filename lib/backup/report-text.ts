// Plain-text rendering of a verification report, for the CLIs and the job summary.
import type { BackupReport } from "@/lib/backup/verify";
import { formatBytes, formatCount } from "@/lib/format";

export function reportLines(report: BackupReport, current?: Record<string, number>): string[] {
  const lines = [
    `Source:          ${report.kind ?? "unreadable"} · ${formatBytes(report.fileBytes)}`,
    `Exported:        ${report.exportDate ?? "–"}`,
    `Format version:  ${report.formatVersion ?? "–"}${report.upgradedFrom !== null ? ` (upgraded from ${report.upgradedFrom})` : ""}`,
    `Schema version:  ${report.schemaVersion ?? "–"}`,
    `Made by:         ${report.app ?? (report.djangoVersion ? `Django ${report.djangoVersion}` : "–")}`,
    `Digest:          ${report.digest}`,
    "",
    `${"Model".padEnd(40)} ${"in file".padStart(10)}${current ? ` ${"now".padStart(10)}` : ""}`,
  ];
  for (const [label, n] of Object.entries(report.counts)) {
    lines.push(`${label.padEnd(40)} ${formatCount(n).padStart(10)}${current ? ` ${formatCount(current[label] ?? 0).padStart(10)}` : ""}`);
  }
  if (report.warnings.length > 0) lines.push("", "Warnings:", ...report.warnings.map((w) => `  - ${w}`));
  if (report.problems.length > 0) lines.push("", "Problems:", ...report.problems.map((p) => `  - ${p}`));
  lines.push("", report.ok ? "OK: the backup is whole and restorable." : "NOT RESTORABLE: see the problems above.");
  return lines;
}
