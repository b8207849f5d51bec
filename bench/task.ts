// One benchmark task in a process of its own, so that its peak RSS (getrusage's maxrss) is
// the task's alone. Prints one JSON line: { seconds, peakRssBytes, bytes }.
//   node scripts/cli.mjs bench/task.ts export|verify|restore|snapshot FILE
// The database is DATABASE_URL; DATA_DIR holds the restore's safety snapshot.
import fs from "node:fs";

import { writeExportToFile } from "@/lib/backup/export/write-file";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { writeSnapshot } from "@/lib/backup/snapshot";
import { verifyBackupFile } from "@/lib/backup/verify/verify";

const tasks: Record<string, (file: string) => Promise<void>> = {
  async export(file) {
    await writeExportToFile(file);
  },
  async verify(file) {
    const report = await verifyBackupFile(file);
    if (!report.ok) throw new Error(`verify failed: ${report.problems[0]}`);
  },
  async restore(file) {
    const result = await restoreBackup({ file, actor: "bench", source: "cli" });
    if (!result.ok) throw new Error(`restore failed at ${result.stage}: ${result.error}`);
  },
  async snapshot(file) {
    await writeSnapshot(file);
  },
};

const [name, file] = process.argv.slice(2);
const task = name ? tasks[name] : undefined;
if (!task || !file) {
  console.error(`Usage: bench/task.ts ${Object.keys(tasks).join("|")} FILE`);
  process.exit(64);
}
const started = performance.now();
await task(file);
const seconds = (performance.now() - started) / 1000;
// maxRSS is in KiB.
console.log(
  JSON.stringify({ seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024, bytes: fs.statSync(file).size }),
);
