// What the running restore is doing, polled by Manage Storage's progress bar.
import { readMaintenance } from "@/lib/backup/maintenance";

export function restoreProgress() {
  const state = readMaintenance();
  return {
    running: Boolean(state),
    operation: state?.operation,
    phase: state?.phase,
    progress: state?.progress,
    actor: state?.actor,
  };
}
