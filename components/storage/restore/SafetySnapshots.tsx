"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

import { previewRollbackAction, rollbackAction } from "@/app/admin/storage/actions";
import { DryRunReport } from "@/components/storage/restore/DryRunReport";
import { useRestoreState } from "@/components/storage/restore/RestoreContext";
import { RestoreOutcome } from "@/components/storage/restore/RestoreOutcome";
import { shouldRefreshAfter, useRestoreRun } from "@/components/storage/restore/useRestoreRun";
import { Age } from "@/components/ui/Age";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { ProgressBar } from "@/components/ui/ProgressBar";
import type { SafetySnapshotRow } from "@/lib/admin/safety-snapshots";
import type { DryRun } from "@/lib/admin/upload";
import { formatBytes, formatDateTime } from "@/lib/format";

const buttonClass = "rounded border px-3 py-1 disabled:opacity-50";
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function SnapshotItem({
  snapshot,
  busy,
  checking,
  onRollBack,
}: {
  snapshot: SafetySnapshotRow;
  busy: boolean;
  checking: boolean;
  onRollBack: () => void;
}) {
  return (
    <li className="flex flex-wrap items-start justify-between gap-x-3 gap-y-2 py-3" data-testid="safety-snapshot">
      <div className="min-w-0 grow basis-64">
        <p className="font-medium [overflow-wrap:anywhere]" data-testid="safety-snapshot-about">
          {sentence(snapshot.about)}
        </p>
        <p className="text-slate-600" data-testid="safety-snapshot-taken">
          {formatDateTime(snapshot.takenAt)} (<Age of={snapshot.takenAt} />) · {formatBytes(snapshot.bytes)}
        </p>
        {snapshot.holds ? (
          <p className="text-xs text-slate-500" data-testid="safety-snapshot-holds">
            Holds {snapshot.holds}
          </p>
        ) : null}
        <p className="text-xs text-slate-400 [overflow-wrap:anywhere]">{snapshot.name}</p>
      </div>
      <span className="flex gap-2">
        <a
          className={`${buttonClass} border-slate-300 hover:bg-slate-100`}
          href={`/admin/storage/snapshots/${encodeURIComponent(snapshot.name)}`}
          download
        >
          Download<span className="sr-only"> the snapshot {snapshot.about}</span>
        </a>
        <button
          type="button"
          disabled={busy}
          onClick={onRollBack}
          className={`${buttonClass} border-red-300 text-red-800 hover:bg-red-50`}
        >
          {checking ? "Checking…" : "Roll back to this…"}
          <span className="sr-only"> snapshot {snapshot.about}</span>
        </button>
      </span>
    </li>
  );
}

/**
 * The safety snapshots, each saying what it was taken before; rolling back to one shows the
 * same dry run and typed confirmation as a restore.
 */
export function SafetySnapshots({ snapshots }: { snapshots: SafetySnapshotRow[] }) {
  const router = useRouter();
  const restoreState = useRestoreState();
  const [preview, setPreview] = useState<{ name: string; dryRun: DryRun } | null>(null);
  const [checking, setChecking] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const rollback = useRestoreRun();
  const previewRef = useRef<HTMLDivElement>(null);

  // One dry run on the page at a time: an upload's (in the Restore panel) closes this one.
  const [seenDryRun, setSeenDryRun] = useState(restoreState.dryRun);
  if (restoreState.dryRun !== seenDryRun) {
    setSeenDryRun(restoreState.dryRun);
    if (restoreState.dryRun) setPreview(null);
  }

  async function check(name: string) {
    setChecking(name);
    setError(null);
    rollback.reset();
    const result = await previewRollbackAction({ snapshot: name });
    setChecking(null);
    if (!result.ok) return setError(result.error);
    restoreState.show(null);
    setPreview({ name, dryRun: result.dryRun });
    requestAnimationFrame(() => previewRef.current?.scrollIntoView({ behavior: "smooth", block: "start" }));
  }

  async function onConfirm(typed: string) {
    const name = preview?.name;
    setConfirming(false);
    if (!name) return;
    const outcome = await rollback.run(() => rollbackAction({ snapshot: name, confirmation: typed }));
    setPreview(null);
    if (shouldRefreshAfter(outcome)) router.refresh();
  }

  const busy = checking !== null || rollback.progress !== null;
  return (
    <Card id="snapshots" title="Safety snapshots" testId="safety-snapshots">
      <p className="text-sm text-slate-600">
        Taken automatically before every restore and roll back, each a copy of the data it replaced. Kept: the newest
        five, and the first of each of the last 7 days.
      </p>
      {snapshots.length === 0 ? (
        <p className="text-sm text-slate-500">None yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {snapshots.map((s) => (
            <SnapshotItem
              key={s.name}
              snapshot={s}
              busy={busy}
              checking={checking === s.name}
              onRollBack={() => void check(s.name)}
            />
          ))}
        </ul>
      )}
      {error ? (
        <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-900">
          {error}
        </p>
      ) : null}
      {preview ? (
        <div ref={previewRef} className="space-y-3 border-t border-slate-200 pt-3" data-testid="rollback-preview">
          <DryRunReport dryRun={preview.dryRun} kind="rollback" />
          <div className="flex flex-wrap gap-3">
            {preview.dryRun.report.ok ? (
              <button
                type="button"
                disabled={busy}
                onClick={() => setConfirming(true)}
                className="rounded bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800 disabled:opacity-50"
              >
                Roll back to this snapshot…
              </button>
            ) : null}
            <button
              type="button"
              disabled={busy}
              onClick={() => setPreview(null)}
              className="rounded border border-slate-300 px-4 py-2 hover:bg-slate-100"
            >
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {rollback.progress ? (
        <ProgressBar label={`Rolling back: ${rollback.progress.phase}`} value={rollback.progress.value} />
      ) : null}
      {rollback.result ? <RestoreOutcome result={rollback.result} /> : null}
      <ConfirmDialog
        open={confirming}
        title="Roll back ALL data to this snapshot?"
        confirmWord="RESTORE"
        confirmLabel="Roll back"
        onConfirm={onConfirm}
        onCancel={() => setConfirming(false)}
      >
        <p>
          Rolling back to <strong>{preview?.dryRun.fileName}</strong> deletes <strong>all</strong> current users,
          machines, queue entries, presets, measurements, preferences and notifications, and loads the snapshot&apos;s
          instead.
        </p>
        {preview ? <p data-testid="confirm-summary">{preview.dryRun.summary}</p> : null}
        <p>A safety snapshot of the current data is taken first, so you can undo the roll back too.</p>
      </ConfirmDialog>
    </Card>
  );
}
