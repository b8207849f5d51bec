// Next.js calls register() once when the server starts. The Node.js server (not the edge
// runtime, not the build) starts the in-app backup schedule when BACKUP_PUSH_EVERY is set, and
// the weekly replica check when BACKUP_REPLICA_URL is.
export async function register(): Promise<void> {
  // NEXT_RUNTIME is set by Next itself, the documented way to tell the runtimes apart.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startPushSchedule } = await import("@/lib/offsite/schedule");
  startPushSchedule();
  const { startReplicaCheckSchedule } = await import("@/lib/offsite/replica/check");
  startReplicaCheckSchedule();
}
