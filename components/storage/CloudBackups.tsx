"use client";

import { useState } from "react";

import { restoreFromCloudAction } from "@/app/admin/storage/actions";
import { useRestoreState } from "@/components/storage/restore/RestoreContext";
import { StepsInOperationsDocs } from "@/components/storage/StepsInOperationsDocs";
import { Age } from "@/components/ui/Age";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import type { CloudBackup, CloudTarget } from "@/lib/admin/cloud";
import type { CloudDownloadProblem } from "@/lib/admin/cloud-download";
import { formatBytes, formatCount, formatDateTime, plural } from "@/lib/format";

const linkClass =
  "inline-block rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50 disabled:hover:bg-transparent";
const MONTH = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** Backups of every target, grouped by month (UTC), newest month first. */
function byMonth(targets: CloudTarget[]): [string, (CloudBackup & { label: string })[]][] {
  const all = targets
    .flatMap((t) => t.backups.map((b) => ({ ...b, label: t.label })))
    .sort((a, b) => b.date.localeCompare(a.date));
  const groups = new Map<string, (CloudBackup & { label: string })[]>();
  for (const b of all) {
    const month = MONTH.format(new Date(b.date));
    groups.set(month, [...(groups.get(month) ?? []), b]);
  }
  return [...groups];
}

function NotConfigured() {
  return (
    <div className="space-y-2 text-sm text-slate-700" data-testid="cloud-not-configured">
      <p>
        <strong>No cloud storage is set up on this server,</strong> so there are no off-site copies to list or restore
        here.
      </p>
      <p>
        <strong>What to do:</strong> ask whoever runs the server to set these settings on the server. The steps are{" "}
        <StepsInOperationsDocs section="Object storage" />.
      </p>
      <ul className="list-disc space-y-1 pl-5 [overflow-wrap:anywhere]">
        <li>
          For a backup every few hours in object storage (S3, R2, B2, MinIO):{" "}
          <code>BACKUP_S3_URL=s3://bucket/prefix</code>, <code>AWS_ACCESS_KEY_ID</code> and{" "}
          <code>AWS_SECRET_ACCESS_KEY</code> (and <code>BACKUP_S3_ENDPOINT</code> for stores other than AWS), then{" "}
          <code>BACKUP_PUSH_EVERY=6h</code> for one every six hours.
        </li>
        <li>
          To list the weekly backups kept on GitHub here: <code>GITHUB_REPO=owner/name</code> and a read-only{" "}
          <code>GITHUB_TOKEN</code>.
        </li>
      </ul>
    </div>
  );
}

/** What is known of a backup's bytes: checked against the SHA-256 recorded at push time, or not yet. */
function CheckBadge({ backup }: { backup: CloudBackup }) {
  if (backup.check === "verified") {
    return (
      <span title="Fetched here, its bytes matched the SHA-256 recorded when it was pushed">
        <Badge tone="green">verified</Badge>
      </span>
    );
  }
  if (backup.check === "mismatch") {
    return (
      <span title="Its bytes do not match the SHA-256 recorded when it was pushed: changed or damaged in storage">
        <Badge tone="red">SHA-256 mismatch: not restorable</Badge>
      </span>
    );
  }
  return (
    <span title={backup.sha256 ? "Checked against its SHA-256 when fetched for a restore" : "No SHA-256 was recorded"}>
      <Badge tone="amber">{backup.sha256 ? "not checked yet" : "no SHA-256"}</Badge>
    </span>
  );
}

/** Off-site backups, newest first: download one, or restore it through the Restore panel's dry run. */
/** Why the last Download did not start (the route sent the browser back here), in words. */
function DownloadProblem({ problem }: { problem: CloudDownloadProblem }) {
  return (
    <p role="alert" className="rounded bg-amber-50 p-3 text-sm text-amber-950" data-testid="cloud-download-problem">
      {problem.reason === "gone" ? (
        <>
          <strong className="[overflow-wrap:anywhere]">{problem.name}</strong> is no longer in the cloud store: it was
          deleted after the list was loaded (by the retention rules or by hand), so it cannot be downloaded. The list
          below is up to date.
        </>
      ) : (
        <>
          <strong className="[overflow-wrap:anywhere]">{problem.name}</strong> could not be downloaded: the cloud store
          did not answer. Try again in a moment.
        </>
      )}
    </p>
  );
}

export function CloudBackups({
  targets,
  downloadProblem = null,
}: {
  targets: CloudTarget[];
  downloadProblem?: CloudDownloadProblem | null;
}) {
  const { show } = useRestoreState();
  const [fetching, setFetching] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function restoreThis(backup: CloudBackup) {
    setFetching(backup.key);
    setError(null);
    const result = await restoreFromCloudAction({ target: backup.target, key: backup.key });
    setFetching(null);
    if (!result.ok) return setError(result.error);
    show(result.dryRun);
    const heading = document.getElementById("restore-heading");
    heading?.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  const months = byMonth(targets);
  return (
    <Card id="cloud" title="Cloud Backups" testId="cloud-backups">
      {targets.length === 0 ? <NotConfigured /> : null}
      {/* One line a target: an error led by the target's name ("… is not answering") reads as it is. */}
      {targets.map((t) => (
        <p key={t.kind} className="text-sm text-slate-600 [overflow-wrap:anywhere]">
          {t.error ? (
            <span className="text-red-800">{t.error.startsWith(t.label) ? t.error : `${t.label}: ${t.error}`}</span>
          ) : (
            `${t.label}: ${formatCount(t.backups.length)} ${plural(t.backups.length, "backup")}`
          )}
        </p>
      ))}
      {downloadProblem ? <DownloadProblem problem={downloadProblem} /> : null}
      {error ? (
        <p role="alert" className="rounded bg-red-50 p-3 text-sm text-red-900">
          {error}
        </p>
      ) : null}
      {months.map(([month, backups]) => (
        <div key={month}>
          <h3 className="mb-1 text-sm font-semibold text-slate-700">{month}</h3>
          <ul className="divide-y divide-slate-100 text-sm">
            {backups.map((b) => (
              <li
                key={`${b.target}:${b.key}`}
                className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2"
                data-testid="cloud-backup"
              >
                <span className="min-w-0 grow">
                  <span className="block">
                    {formatDateTime(b.date)}{" "}
                    <span className="text-slate-500">
                      (<Age of={b.date} />)
                    </span>
                  </span>
                  <span className="block text-xs text-slate-500 [overflow-wrap:anywhere]">
                    {formatBytes(b.bytes)} · {b.target === "s3" ? "S3" : "GitHub"} · {b.name}
                  </span>
                </span>
                <CheckBadge backup={b} />
                <a
                  className={linkClass}
                  // No download attribute: the file comes as an attachment, and when it is gone the
                  // route sends the browser back to this page with a message instead.
                  href={`/admin/storage/cloud?target=${b.target}&key=${encodeURIComponent(b.key)}`}
                >
                  Download<span className="sr-only"> {b.name}</span>
                </a>
                <button
                  type="button"
                  className={linkClass}
                  disabled={fetching !== null || b.check === "mismatch"}
                  onClick={() => void restoreThis(b)}
                >
                  {fetching === b.key ? "Fetching…" : "Restore this…"}
                  <span className="sr-only"> {b.name}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </Card>
  );
}
