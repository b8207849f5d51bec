// npm run db:verify -- FILE|s3://bucket/key|replica:latest|replica:TIME [--json] [--identity KEYFILE]
// Checks a backup without touching any database. Exit code 0 when it is whole and restorable,
// 3 when it is whole but holds data this app cannot keep (restorable with --accept-loss),
// 2 when it is not restorable. --json prints the report, with `names`: each entity as people
// read it. An age-encrypted file (.age) is opened with --identity KEYFILE or BACKUP_AGE_IDENTITY;
// its plaintext exists only while it is checked.
import { humanModelName } from "@/lib/backup/format/labels";
import { reportLines } from "@/lib/backup/format/report-text";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { cliArgs, runCli } from "@/lib/cli";
import { identityFrom, withDecrypted } from "@/lib/offsite/encryption";
import { withLocalCopy } from "@/lib/offsite/source";

runCli(async () => {
  const { values, positionals } = cliArgs({ json: { type: "boolean" }, identity: { type: "string" } }, true);
  const file = positionals[0];
  if (!file || positionals.length > 1)
    throw new Error(
      "Usage: npm run db:verify -- FILE|s3://bucket/key|replica:latest|replica:TIME [--json] [--identity KEYFILE]",
    );
  const identity = identityFrom(values.identity);
  const report = await withLocalCopy(file, (local) =>
    withDecrypted(local, identity, (plain) => verifyBackupFile(plain)),
  );
  // `names`: each entity as people read it ("Queue entries"), for scripts that print a summary.
  const names = Object.fromEntries(Object.keys(report.counts).map((label) => [label, humanModelName(label)]));
  console.log(values.json ? JSON.stringify({ ...report, names }, null, 2) : reportLines(report).join("\n"));
  if (!report.ok) return 2;
  return report.losses.length > 0 ? 3 : 0;
});
