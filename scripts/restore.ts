// npm run db:restore -- FILE [--dry-run] [--yes] [--accept-loss] [--silent]
// Restores DATABASE_URL from a JSON backup, a .json.gz or a SQLite snapshot. Without
// --yes it shows what the file holds against the current database and asks for YES.
// --accept-loss lets a file through that holds data this app cannot keep (the dry run
// lists it): fields this app does not have, a model the original app failed to export.
// --silent creates no database_restored notifications for staff.
import path from "node:path";

import { reportLines } from "@/lib/backup/report-text";
import { restoreBackup } from "@/lib/backup/restore";
import { rowCounts } from "@/lib/backup/row-counts";
import { verifyBackupFile } from "@/lib/backup/verify";
import { cliArgs, prompt, runCli } from "@/lib/cli";
import { databasePath } from "@/lib/config";
import { migrateDatabase } from "@/lib/db/migrate";
import { formatCount, formatDuration } from "@/lib/format";

runCli(async () => {
  const { values, positionals } = cliArgs(
    {
      "dry-run": { type: "boolean" },
      yes: { type: "boolean" },
      "accept-loss": { type: "boolean" },
      silent: { type: "boolean" },
    },
    true,
  );
  const file = positionals[0];
  if (!file || positionals.length > 1)
    throw new Error("Usage: npm run db:restore -- FILE [--dry-run] [--yes] [--accept-loss] [--silent]");
  const acceptLoss = values["accept-loss"] ?? false;
  const target = databasePath();
  migrateDatabase(target);
  const current = Object.fromEntries(rowCounts(target).map((c) => [c.label, c.rows]));

  if (values["dry-run"] || !values.yes) {
    const report = await verifyBackupFile(file);
    console.log(`Dry run: ${path.resolve(file)} → ${target}\n`);
    console.log(reportLines(report, current).join("\n"));
    if (!report.ok) return 2;
    if (report.losses.length > 0 && !acceptLoss) {
      console.log(
        "\nRestoring this file loses the data listed above. Run again with --accept-loss to restore it anyway.",
      );
      return 3;
    }
    if (values["dry-run"]) return 0;
    const answer = await prompt("\nThis replaces ALL current data in the database above. Type YES to restore: ");
    if (answer.trim() !== "YES") {
      console.log("Cancelled; nothing was changed.");
      return 1;
    }
  }

  let lastPhase = "";
  const result = await restoreBackup({
    file,
    actor: process.env.USER ?? "cli",
    source: "cli",
    label: path.basename(file),
    acceptLoss,
    silent: values.silent ?? false,
    onProgress: (phase, fraction) => {
      if (phase !== lastPhase || fraction === 1) process.stderr.write(`\n${phase} `);
      else process.stderr.write(".");
      lastPhase = phase;
    },
  });
  process.stderr.write("\n");
  if (!result.ok) {
    console.error(result.error);
    if (result.report) console.error(reportLines(result.report).join("\n"));
    return 2;
  }
  console.log(`\n${"Model".padEnd(40)} ${"before".padStart(10)} ${"in backup".padStart(10)} ${"after".padStart(10)}`);
  for (const m of result.models) {
    console.log(
      `${m.label.padEnd(40)} ${formatCount(m.before).padStart(10)} ${formatCount(m.inBackup).padStart(10)} ${formatCount(m.after).padStart(10)}`,
    );
  }
  console.log(
    `\nRestored in ${formatDuration(result.durationMs)}. Safety snapshot of the previous data: ${result.safetySnapshot}.`,
  );
  if (result.notified > 0) console.log(`Notified ${result.notified} staff member(s) (database_restored).`);
  for (const warning of result.report.warnings) console.log(`Warning: ${warning}`);
});
