"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

import { rollbackAction } from "@/app/admin/storage/actions";
import { RestoreOutcome } from "@/components/storage/restore/RestoreOutcome";
import { shouldRefreshAfter, useRestoreRun } from "@/components/storage/restore/useRestoreRun";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { formatBytes, formatDateTime } from "@/lib/format";

export interface SnapshotRow {
  name: string;
  bytes: number;
  createdAt: string;
}

export function SafetySnapshots({ snapshots }: { snapshots: SnapshotRow[] }) {
  const router = useRouter();
  const [chosen, setChosen] = useState<string | null>(null);
  const rollback = useRestoreRun();

  async function onConfirm(typed: string) {
    const snapshot = chosen;
    setChosen(null);
    if (!snapshot) return;
    const outcome = await rollback.run(() => rollbackAction({ snapshot, confirmation: typed }));
    if (shouldRefreshAfter(outcome)) router.refresh();
  }

  return (
    <Card id="snapshots" title="Safety snapshots">
      <p className="text-sm text-slate-600">Taken automatically before every restore; the newest five are kept.</p>
      {snapshots.length === 0 ? (
        <p className="text-sm text-slate-500">None yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {snapshots.map((s) => (
            <li
              key={s.name}
              className="flex flex-wrap items-center justify-between gap-2 py-2"
              data-testid="safety-snapshot"
            >
              <span>
                {formatDateTime(s.createdAt)} · {formatBytes(s.bytes)}
                <code className="ml-2 text-xs text-slate-500">{s.name}</code>
              </span>
              <span className="flex gap-2">
                <a
                  className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-100"
                  href={`/admin/storage/snapshots/${encodeURIComponent(s.name)}`}
                  download
                >
                  Download
                </a>
                <button
                  type="button"
                  disabled={rollback.progress !== null}
                  onClick={() => setChosen(s.name)}
                  className="rounded border border-red-300 px-3 py-1 text-red-800 hover:bg-red-50 disabled:opacity-50"
                >
                  Roll back to this
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {rollback.progress ? (
        <ProgressBar label={`Rolling back: ${rollback.progress.phase}`} value={rollback.progress.value} />
      ) : null}
      {rollback.result ? <RestoreOutcome result={rollback.result} /> : null}
      <ConfirmDialog
        open={chosen !== null}
        title="Roll back ALL data to this snapshot?"
        confirmWord="RESTORE"
        confirmLabel="Roll back"
        onConfirm={onConfirm}
        onCancel={() => setChosen(null)}
      >
        <p>
          All current data is replaced by the snapshot <code>{chosen}</code>. A new safety snapshot of the current data
          is taken first.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
