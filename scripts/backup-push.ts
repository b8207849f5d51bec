// npm run backup:push -- [--dry-run] [--date ISO] [--from-api]
// Makes a gzipped backup of DATABASE_URL, verifies it, encrypts it when BACKUP_ENCRYPT_TO is
// set, uploads it to the S3 target (BACKUP_S3_URL) with its SHA-256, then keeps the newest
// BACKUP_KEEP_DAILY dailies and BACKUP_KEEP_WEEKLY Sunday backups, printing what it deletes.
// --dry-run makes and verifies the backup but uploads and deletes nothing. --from-api backs up
// what BACKUP_API_URL serves with BACKUP_API_KEY instead of DATABASE_URL (for GitHub Actions).
import { tryLock } from "@/lib/backup/maintenance";
import { cliArgs, runCli } from "@/lib/cli";
import { backupApiKey, backupApiUrl } from "@/lib/config";
import { pushBackup } from "@/lib/offsite/push";

runCli(async () => {
  const { values } = cliArgs({
    "dry-run": { type: "boolean" },
    date: { type: "string" },
    "from-api": { type: "boolean" },
  });
  let fromApi: { url: string; key: string } | undefined;
  if (values["from-api"]) {
    const url = backupApiUrl();
    const key = backupApiKey();
    if (!url || !key) throw new Error("--from-api needs BACKUP_API_URL and BACKUP_API_KEY.");
    fromApi = { url, key };
  }
  const date = values.date ? new Date(values.date) : undefined;
  if (date && Number.isNaN(date.getTime())) throw new Error(`--date ${values.date} is not a date (ISO 8601).`);
  // The server's schedule takes the same lock: two pushes at once would race on retention.
  // From the API (GitHub Actions) there is no server folder to share, and no lock to take.
  const lock = fromApi ? null : tryLock("push");
  if (!fromApi && !lock) {
    throw new Error(
      "Another backup push is running (the server's schedule or another backup:push). Try again when it has finished.",
    );
  }
  try {
    const pushed = await pushBackup({
      date,
      dryRun: values["dry-run"],
      fromApi,
      log: (line) => console.log(line),
      source: "cli",
    });
    // The copy counts, but a target that keeps every backup grows without end: fail the run
    // (a red workflow, a cron mail) so someone fixes the key or deletes by hand.
    if (pushed.retentionError) {
      throw new Error(`${pushed.name} is stored and counts, but old backups were not deleted (why: above).`);
    }
  } finally {
    lock?.release();
  }
});
