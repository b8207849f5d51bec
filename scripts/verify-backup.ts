// npm run db:verify -- FILE [--json]
// Checks a backup without touching any database. Exit code 0 when it is whole and restorable,
// 3 when it is whole but holds data this app cannot keep (restorable with --accept-loss),
// 2 when it is not restorable.
import { reportLines } from "@/lib/backup/format/report-text";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { cliArgs, runCli } from "@/lib/cli";

runCli(async () => {
  const { values, positionals } = cliArgs({ json: { type: "boolean" } }, true);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new Error("Usage: npm run db:verify -- FILE [--json]");
  const report = await verifyBackupFile(file);
  console.log(values.json ? JSON.stringify(report, null, 2) : reportLines(report).join("\n"));
  if (!report.ok) return 2;
  return report.losses.length > 0 ? 3 : 0;
});
