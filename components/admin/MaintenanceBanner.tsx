import { readMaintenance } from "@/lib/backup/maintenance";
import { formatDateTime } from "@/lib/format";

export function MaintenanceBanner() {
  const state = readMaintenance();
  if (!state) return null;
  const percent = state.progress === null ? "" : ` (${Math.round(state.progress * 100)} %)`;
  return (
    <div role="status" className="border-b border-amber-300 bg-amber-50">
      <p className="mx-auto max-w-6xl px-4 py-2 text-sm text-amber-900">
        <strong>Maintenance:</strong> a {state.operation} started by {state.actor} at {formatDateTime(state.startedAt)}{" "}
        is running — {state.phase}
        {percent}. Changes are paused until it finishes.
      </p>
    </div>
  );
}
