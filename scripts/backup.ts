// npm run db:backup -- [--out FILE] [--sqlite]
// Writes the complete-database JSON backup (or, with --sqlite, a consistent SQLite
// snapshot) of DATABASE_URL. A FILE ending in .gz is gzipped.
import { recordAudit } from "@/lib/backup/audit";
import { writeExportToFile } from "@/lib/backup/export/write-file";
import { backupFilename } from "@/lib/backup/format/format";
import { writeSnapshot } from "@/lib/backup/snapshot";
import { cliArgs, runCli } from "@/lib/cli";
import { formatBytes, formatCount, formatDuration } from "@/lib/format";

runCli(async () => {
  const { values } = cliArgs({ out: { type: "string" }, sqlite: { type: "boolean" } });
  const startedAt = new Date();
  const actor = process.env.USER ?? "cli";
  if (values.sqlite) {
    const out = values.out ?? backupFilename(startedAt, "sqlite3");
    const snapshot = await writeSnapshot(out);
    await recordAudit({ kind: "snapshot", source: "cli", actor, startedAt, result: "ok", bytes: snapshot.bytes });
    console.log(
      `Wrote SQLite snapshot ${out} (${formatBytes(snapshot.bytes)}) in ${formatDuration(Date.now() - startedAt.getTime())}.`,
    );
    return;
  }
  const out = values.out ?? backupFilename(startedAt);
  try {
    const result = await writeExportToFile(out);
    const total = Object.values(result.counts).reduce((a, b) => a + b, 0);
    await recordAudit({
      kind: "export",
      source: "cli",
      actor,
      startedAt,
      result: result.complete ? "ok" : "failed",
      bytes: result.bytes,
      sha256: result.documentSha256,
      detail: JSON.stringify({ ...result.counts, records_sha256: result.sha256 }),
    });
    for (const [label, n] of Object.entries(result.counts))
      console.log(`${label.padEnd(40)} ${formatCount(n).padStart(10)}`);
    console.log(
      `Wrote ${out}: ${formatCount(total)} records, ${formatBytes(result.fileBytes)}, SHA-256 ${result.documentSha256}${out.endsWith(".gz") ? " (of the JSON inside)" : ""}, in ${formatDuration(Date.now() - startedAt.getTime())}.`,
    );
    if (!result.complete) {
      console.error(`The backup is INCOMPLETE: ${JSON.stringify(result.errors)}`);
      return 2;
    }
  } catch (error) {
    await recordAudit({
      kind: "export",
      source: "cli",
      actor,
      startedAt,
      result: "failed",
      detail: (error as Error).message,
    });
    throw error;
  }
});
