import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import { ageInWords, formatDateTime, hoursInWords } from "@/lib/format";
import type { OffsiteStatus } from "@/lib/offsite/watch";

const LEVEL_BADGE = {
  ok: <Badge tone="green">on time</Badge>,
  stale: <Badge tone="amber">overdue</Badge>,
  never: <Badge tone="red">never</Badge>,
};

function When({ at }: { at: Date }) {
  return (
    <>
      {ageInWords(at)} <span className="text-slate-500">({formatDateTime(at)})</span>
    </>
  );
}

/** When the lab's data last left this server, and when a restore drill last proved it comes back. */
export function OffsitePanel({ status }: { status: OffsiteStatus }) {
  const drill = status.lastDrill;
  return (
    <Card id="offsite" title="Off-site backups" testId="offsite-panel">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        <dt className="text-slate-600">Last off-site backup</dt>
        <dd data-testid="last-offsite-backup">
          {status.lastBackupAt ? <When at={status.lastBackupAt} /> : null} {LEVEL_BADGE[status.level]}
        </dd>
        <dt className="text-slate-600">Last restore drill</dt>
        <dd data-testid="last-restore-drill">
          {drill ? (
            <>
              <When at={drill.at} /> {drill.ok ? <Badge tone="green">passed</Badge> : <Badge tone="red">failed</Badge>}
            </>
          ) : (
            "never reported"
          )}
        </dd>
        {status.lastPush ? (
          <>
            <dt className="text-slate-600">Last push to cloud</dt>
            <dd data-testid="last-push">
              <When at={status.lastPush.at} />{" "}
              {status.lastPush.ok ? <Badge tone="green">done</Badge> : <Badge tone="red">failed</Badge>}
              {status.lastPush.ok ? null : (
                <span className="mt-1 block text-red-800 [overflow-wrap:anywhere]">{status.lastPush.detail}</span>
              )}
            </dd>
          </>
        ) : null}
        <dt className="text-slate-600">Expected</dt>
        <dd>at least every {hoursInWords(status.maxAgeHours)}</dd>
      </dl>
      {status.level === "ok" ? null : (
        <p className="text-sm text-slate-700">
          Off-site backups are taken by the weekly GitHub Actions workflow, which fetches the export with the backup API
          key. Check that its last run succeeded and that the repository secret <code>BACKUP_API_KEY</code> matches the
          server&apos;s; docs/operations.md says what to do step by step.
        </p>
      )}
    </Card>
  );
}
