// npm run backup:push -- [--dry-run] [--date ISO]
// Makes a gzipped backup of DATABASE_URL, verifies it, encrypts it when BACKUP_ENCRYPT_TO is
// set, uploads it to the S3 target (BACKUP_S3_URL) with its SHA-256, then keeps the newest
// BACKUP_KEEP_DAILY dailies and BACKUP_KEEP_WEEKLY Sunday backups, printing what it deletes.
// --dry-run makes and verifies the backup but uploads and deletes nothing.
import { cliArgs, runCli } from "@/lib/cli";
import { pushBackup } from "@/lib/offsite/push";

runCli(async () => {
  const { values } = cliArgs({ "dry-run": { type: "boolean" }, date: { type: "string" } });
  const date = values.date ? new Date(values.date) : undefined;
  if (date && Number.isNaN(date.getTime())) throw new Error(`--date ${values.date} is not a date (ISO 8601).`);
  await pushBackup({ date, dryRun: values["dry-run"], log: (line) => console.log(line), source: "cli" });
});
