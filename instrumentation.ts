// Next.js calls register() once when the server starts. The Node.js server (not the edge
// runtime, not the build) checks the configuration before it serves anything, then starts the
// in-app backup schedule when BACKUP_PUSH_EVERY is set, and the weekly replica check when
// BACKUP_REPLICA_URL is.
export async function register(): Promise<void> {
  // NEXT_RUNTIME is replaced by Next at build time, the documented way to tell the runtimes
  // apart (so it is not the environment read outside lib/config.ts).
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ConfigError, loadConfig } = await import("@/lib/config");
  const { socketAddressStartupProblem } = await import("@/lib/http/socket-address");
  let problem: string | null;
  try {
    problem = socketAddressStartupProblem(loadConfig().production);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problem = error.message;
  }
  if (problem) {
    // Next logs a failed register() and serves anyway: a server with a setting it cannot use,
    // or that cannot tell its clients apart, must not start at all.
    console.error(`Error: ${problem}`);
    process.exit(1);
  }
  const { startPushSchedule } = await import("@/lib/offsite/schedule");
  startPushSchedule();
  const { startReplicaCheckSchedule } = await import("@/lib/offsite/replica/check");
  startReplicaCheckSchedule();
  // Uploads left from before a restart (a decrypted one an hour at most).
  const { pruneUploads } = await import("@/lib/backup/uploads");
  pruneUploads();
}
