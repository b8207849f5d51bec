// One benchmark task in a process of its own, so that its peak RSS (getrusage's maxrss) is
// the task's alone. Prints one JSON line: { seconds, peakRssBytes, bytes, phases? }; a restore's
// phases are the seconds it spent in each step it reports (from one step's first progress
// report to the next's), so a bench can say where the time went.
//   node scripts/cli.mjs bench/task.ts export|verify|restore|snapshot FILE
// The database is DATABASE_URL; DATA_DIR holds the restore's safety snapshot.
import fs from "node:fs";

// Each task loads only its own code (the CLI bundle splits at these imports), so the peak
// RSS is not inflated by the other tasks' modules and packages.
/** Seconds per reported step, in the order the steps came. */
const phases: Record<string, number> = {};
let phase: { name: string; since: number } | null = null;
function enterPhase(name: string): void {
  if (phase?.name === name) return;
  const now = performance.now();
  if (phase) phases[phase.name] = (phases[phase.name] ?? 0) + (now - phase.since) / 1000;
  phase = { name, since: now };
}

const tasks: Record<string, (file: string) => Promise<void>> = {
  async export(file) {
    const { writeExportToFile } = await import("@/lib/backup/export/write-file");
    await writeExportToFile(file);
  },
  async verify(file) {
    const { verifyBackupFile } = await import("@/lib/backup/verify/verify");
    const report = await verifyBackupFile(file);
    if (!report.ok) throw new Error(`verify failed: ${report.problems[0]}`);
  },
  async restore(file) {
    const { restoreBackup } = await import("@/lib/backup/restore/restore");
    enterPhase("starting");
    const result = await restoreBackup({ file, actor: "bench", source: "cli", onProgress: enterPhase });
    if (!result.ok) throw new Error(`restore failed at ${result.stage}: ${result.error}`);
  },
  async snapshot(file) {
    const { writeSnapshot } = await import("@/lib/backup/snapshot");
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
if (phase) enterPhase("");
// maxRSS is in KiB.
console.log(
  JSON.stringify({
    seconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    bytes: fs.statSync(file).size,
    ...(phase ? { phases } : {}),
  }),
);
// Done: on PostgreSQL the History row's Prisma client keeps idle connections open for ~10 s
// more, which would only make each run of a bench wait (stdout to a pipe is written
// synchronously on Linux, so the line above is out).
process.exit(0);
