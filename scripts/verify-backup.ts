// npm run db:verify -- FILE [--json]
// Checks a backup without touching any database. Exit code 0 only when it is whole and restorable.
import { cliArgs, runCli } from "@/lib/cli";
import { reportLines } from "@/lib/backup/report-text";
import { verifyBackupFile } from "@/lib/backup/verify";

runCli(async () => {
  const { values, positionals } = cliArgs({ json: { type: "boolean" } }, true);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new Error("Usage: npm run db:verify -- FILE [--json]");
  const report = await verifyBackupFile(file);
  console.log(values.json ? JSON.stringify(report, null, 2) : reportLines(report).join("\n"));
  return report.ok ? 0 : 2;
});
