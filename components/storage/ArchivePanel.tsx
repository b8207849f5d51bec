"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

import { clearArchiveAction } from "@/app/admin/storage/actions";
import { Age } from "@/components/ui/Age";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { OptionField } from "@/components/ui/Field";
import type { ArchiveCopy } from "@/lib/admin/archive";
import { formatBytes, formatCount, formatDateTime, plural } from "@/lib/format";

const CONFIRM_WORD = "CONFIRM DELETE";
const linkClass = "inline-block rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100";

type Cleared = { removed: number; copy: string; copyBytes: number; notified: number };
type State =
  { state: "idle" } | { state: "clearing" } | { state: "done"; result: Cleared } | { state: "error"; message: string };

/** Archived measurements: count and space, exports, and Clear archive (a copy is taken first). */
const copyHref = (name: string) => `/admin/storage/archive-copies/${encodeURIComponent(name)}`;

/** The copies earlier clears took, each downloadable for as long as it is on the disk. */
function ArchiveCopies({ copies }: { copies: ArchiveCopy[] }) {
  if (copies.length === 0) return null;
  return (
    <div className="text-sm" data-testid="archive-copies">
      <h3 className="font-medium">Copies taken before clearing</h3>
      <ul className="mt-1 divide-y divide-slate-100">
        {copies.map((c) => (
          <li key={c.name} className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 py-1.5">
            <span className="min-w-0">
              {formatDateTime(c.takenAt)}{" "}
              <span className="text-slate-500">
                (<Age of={c.takenAt} />)
              </span>{" "}
              · {formatBytes(c.bytes)}
              <span className="block text-xs text-slate-500 [overflow-wrap:anywhere]">{c.name}</span>
            </span>
            <a className={linkClass} href={copyHref(c.name)} download>
              Download<span className="sr-only"> the copy {c.name}</span>
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ArchivePanel({ rows, bytes, copies = [] }: { rows: number; bytes: number; copies?: ArchiveCopy[] }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [silent, setSilent] = useState(false);
  const [status, setStatus] = useState<State>({ state: "idle" });

  async function onConfirm(typed: string) {
    setConfirming(false);
    setStatus({ state: "clearing" });
    const result = await clearArchiveAction({ confirmation: typed, silent });
    if (result.ok) {
      setStatus({ state: "done", result });
      router.refresh();
    } else setStatus({ state: "error", message: result.error });
  }

  return (
    <Card id="archive" title="Archived measurements" testId="archive-panel">
      <p className="text-sm text-slate-700" data-testid="archive-count">
        {formatCount(rows)} archived {plural(rows, "measurement")}, {formatBytes(bytes)} of the database.
      </p>
      <div className="flex flex-wrap gap-2">
        <a className={linkClass} href="/admin/storage/archive?format=json" download>
          Export as JSON
        </a>
        <a className={linkClass} href="/admin/storage/archive?format=csv" download>
          Export as CSV
        </a>
        <button
          type="button"
          disabled={rows === 0 || status.state === "clearing"}
          onClick={() => setConfirming(true)}
          className="rounded border border-red-300 px-3 py-1.5 text-sm text-red-800 hover:bg-red-50 disabled:opacity-50"
        >
          Clear archive…
        </button>
      </div>
      {status.state === "clearing" ? (
        <p role="status" className="text-sm">
          Taking a copy, then clearing…
        </p>
      ) : null}
      {status.state === "error" ? (
        <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-900">
          {status.message}
        </p>
      ) : null}
      {status.state === "done" ? (
        <div role="status" className="rounded bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="archive-cleared">
          Removed {formatCount(status.result.removed)} archived {plural(status.result.removed, "measurement")}
          {status.result.notified > 0
            ? `; ${formatCount(status.result.notified)} owners were told`
            : "; nobody was notified"}
          . The copy taken first:{" "}
          <a className="underline" href={copyHref(status.result.copy)} download>
            {status.result.copy}
          </a>{" "}
          ({formatBytes(status.result.copyBytes)}).
        </div>
      ) : null}
      <ArchiveCopies copies={copies} />
      <ConfirmDialog
        open={confirming}
        title="Delete ALL archived measurements?"
        confirmWord={CONFIRM_WORD}
        confirmLabel="Delete them all"
        onConfirm={onConfirm}
        onCancel={() => setConfirming(false)}
      >
        <p>
          This deletes all {formatCount(rows)} archived measurements. A JSON copy of them is written first and offered
          for download, and the History records it.
        </p>
        <OptionField checked={silent} onChange={setSilent} className="">
          Do not notify the people whose measurements are removed
        </OptionField>
      </ConfirmDialog>
    </Card>
  );
}
