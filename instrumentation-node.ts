// The Node.js server's start (instrumentation.ts imports this only there, so the edge build never
// sees process.exit): check the configuration before anything is served, then start the in-app
// backup schedule when BACKUP_PUSH_EVERY is set, and the weekly replica check when
// BACKUP_REPLICA_URL is.
import { ConfigError, loadConfig } from "@/lib/config";
import { socketAddressStartupProblem } from "@/lib/http/socket-address";

export async function startNodeServer(): Promise<void> {
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
