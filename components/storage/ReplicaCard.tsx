"use client";

import { useId, useState, type FormEvent } from "react";

import { restoreFromReplicaAction } from "@/app/admin/storage/actions";
import { useRestoreState } from "@/components/storage/restore/RestoreContext";
import { StepsInOperationsDocs } from "@/components/storage/StepsInOperationsDocs";
import { Age } from "@/components/ui/Age";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import type { ReplicaCard as Figures } from "@/lib/admin/replica";
import { formatDateTime, formatDuration } from "@/lib/format";

const buttonClass = "rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-60";

const STATE_BADGE: Record<Figures["state"], React.ReactNode> = {
  running: <Badge tone="green">replicating</Badge>,
  starting: <Badge tone="blue">starting</Badge>,
  restarting: <Badge tone="amber">restarting</Badge>,
  stopped: <Badge tone="red">stopped</Badge>,
  off: <Badge tone="red">not running</Badge>,
};

/** `2026-12-05T09:30:15` for a datetime-local field, in UTC like every time on this page. */
const fieldValue = (iso: string) => iso.slice(0, 19);

function lagInWords(ms: number | null): string {
  if (ms === null) return "–";
  if (ms === 0) return "none: every change is in the replica";
  return formatDuration(ms);
}

function NotConfigured() {
  return (
    <div className="space-y-2 text-sm text-slate-700" data-testid="replica-not-configured">
      <p>
        <strong>Continuous replication is not set up.</strong> Changes made since the last backup exist only on this
        server: if its disk were lost, they would be lost with it.
      </p>
      <p>
        <strong>What to do:</strong> ask whoever runs the server to set the setting <code>BACKUP_REPLICA_URL</code> (
        <code>s3://bucket/path</code> or <code>file:///path</code>) on the server. From then on every change is copied
        off this server within a second, and this card shows how far back the data can be brought. The steps are{" "}
        <StepsInOperationsDocs section="Continuous replica" />.
      </p>
    </div>
  );
}

/** Where the replica is, how far behind, how far back, and a restore to any second within that. */
export function ReplicaCard({ replica }: { replica: Figures | null }) {
  const { show } = useRestoreState();
  const fieldId = useId();
  const helpId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("at") ?? "");
    if (!value) return setError("Choose a date and a time.");
    setBusy(true);
    setError(null);
    const withSeconds = value.length === 16 ? `${value}:00` : value;
    const result = await restoreFromReplicaAction({ at: `${withSeconds}Z` });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    show(result.dryRun);
    document.getElementById("restore-heading")?.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  if (!replica) {
    return (
      <Card id="replica" title="Continuous replica" testId="replica-card">
        <NotConfigured />
      </Card>
    );
  }
  const { window } = replica;
  return (
    <Card id="replica" title="Continuous replica" testId="replica-card">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        <dt className="text-slate-600">Copies to</dt>
        <dd className="[overflow-wrap:anywhere]" data-testid="replica-destination">
          {replica.destination} {replica.encrypted ? <Badge tone="blue">encrypted</Badge> : null}
        </dd>
        <dt className="text-slate-600">Status</dt>
        <dd data-testid="replica-state">
          {STATE_BADGE[replica.state]}
          {replica.restarts > 0 ? (
            <span className="text-slate-600"> restarted {replica.restarts} times since the app started</span>
          ) : null}
        </dd>
        <dt className="text-slate-600">Last change copied</dt>
        <dd data-testid="replica-last-shipped">
          {replica.lastShippedAt ? (
            <>
              <Age of={replica.lastShippedAt} />{" "}
              <span className="text-slate-500">({formatDateTime(replica.lastShippedAt)})</span>
            </>
          ) : (
            "nothing yet"
          )}
        </dd>
        <dt className="text-slate-600">Waiting to be copied</dt>
        <dd data-testid="replica-lag">{lagInWords(replica.lagMs)}</dd>
        <dt className="text-slate-600">Can go back to</dt>
        <dd data-testid="replica-window">
          {window ? `any second from ${formatDateTime(window.from)} to ${formatDateTime(window.to)}` : "–"}
        </dd>
      </dl>
      {replica.problem ? (
        <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-900" data-testid="replica-problem">
          {replica.problem}
        </p>
      ) : null}
      {replica.problem && replica.lastStop ? (
        <details className="text-xs text-slate-600">
          <summary className="cursor-pointer">Why Litestream last stopped</summary>
          <p className="mt-1 [overflow-wrap:anywhere]">{replica.lastStop}</p>
        </details>
      ) : null}
      {window ? (
        <form onSubmit={onSubmit} className="space-y-2 border-t border-slate-100 pt-3">
          <h3 className="text-sm font-semibold">Restore to a point in time</h3>
          <div className="flex flex-wrap items-end gap-3">
            <div>
              <label htmlFor={fieldId} className="block text-sm font-medium">
                Date and time (UTC)
              </label>
              <input
                id={fieldId}
                name="at"
                type="datetime-local"
                step={1}
                required
                aria-describedby={helpId}
                min={fieldValue(window.from)}
                max={fieldValue(window.to)}
                defaultValue={fieldValue(window.to)}
                disabled={busy}
                className="mt-1 rounded border border-slate-300 px-2 py-1 text-sm"
              />
            </div>
            <button type="submit" className={buttonClass} disabled={busy}>
              {busy ? "Fetching that moment…" : "Check this moment…"}
            </button>
          </div>
          <p id={helpId} className="text-xs text-slate-600">
            The data as it was at that second is checked and compared with today&apos;s under Restore; nothing changes
            until you confirm there.
          </p>
          {error ? (
            <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-900">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </Card>
  );
}
