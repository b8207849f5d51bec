// npm run db:backup -- [--out FILE] [--sqlite] [--encrypt-to age1…,age1…]
// Writes the complete-database JSON backup (or, with --sqlite, a consistent SQLite
// snapshot) of DATABASE_URL. A FILE ending in .gz is gzipped. With --encrypt-to (or
// BACKUP_ENCRYPT_TO) the JSON is encrypted with age as it is written: FILE ends in .age
// and no plaintext copy touches the disk.
import { recordAudit } from "@/lib/backup/audit";
import { writeExportToFile } from "@/lib/backup/export/write-file";
import { backupFilename } from "@/lib/backup/format/format";
import { entityColumn } from "@/lib/backup/format/report-text";
import { writeSnapshot } from "@/lib/backup/snapshot";
import { cliArgs, runCli } from "@/lib/cli";
import { backupEncryptTo, shellUser } from "@/lib/config";
import { formatBytes, formatCount, formatDuration } from "@/lib/format";
import { writeEncryptedExport } from "@/lib/offsite/encrypted-export";
import { parseRecipients } from "@/lib/offsite/encryption";

runCli(async () => {
  const { values } = cliArgs({
    out: { type: "string" },
    sqlite: { type: "boolean" },
    "encrypt-to": { type: "string" },
  });
  const encryptTo = values["encrypt-to"] ?? backupEncryptTo();
  const recipients = encryptTo ? parseRecipients(encryptTo) : null;
  const startedAt = new Date();
  const actor = shellUser();
  if (values.sqlite) {
    const out = values.out ?? backupFilename(startedAt, "sqlite3");
    const snapshot = await writeSnapshot(out);
    await recordAudit({ kind: "snapshot", source: "cli", actor, startedAt, result: "ok", bytes: snapshot.bytes });
    console.log(
      `Wrote SQLite snapshot ${out} (${formatBytes(snapshot.bytes)}) in ${formatDuration(Date.now() - startedAt.getTime())}.`,
    );
    return;
  }
  const out = values.out ?? `${backupFilename(startedAt)}${recipients ? ".age" : ""}`;
  if (recipients && !out.endsWith(".age")) throw new Error("An encrypted backup's name ends in .age.");
  try {
    const gzip = out.replace(/\.age$/, "").endsWith(".gz");
    const result = recipients ? await writeEncryptedExport(out, recipients, { gzip }) : await writeExportToFile(out);
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
      console.log(`${entityColumn(label)} ${formatCount(n).padStart(10)}`);
    console.log(
      `Wrote ${out}: ${formatCount(total)} records, ${formatBytes(result.fileBytes)}, SHA-256 ${result.documentSha256}${out.endsWith(".json") ? "" : " (of the JSON inside)"}${recipients ? `, encrypted for ${recipients.length} key(s)` : ""}, in ${formatDuration(Date.now() - startedAt.getTime())}.`,
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
