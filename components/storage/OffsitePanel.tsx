import { StepsInOperationsDocs } from "@/components/storage/StepsInOperationsDocs";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import type { OffsiteSetup } from "@/lib/admin/offsite-setup";
import { ageInWords, formatDateTime, hoursInWords } from "@/lib/format";
import type { OffsiteStatus, Outcome } from "@/lib/offsite/watch";

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

/** done, failed with why, or stored with old backups left behind (the target keeps growing). */
function LastPush({ push }: { push: Outcome }) {
  if (!push.ok) {
    return (
      <>
        <Badge tone="red">failed</Badge>
        <span className="mt-1 block text-red-800 [overflow-wrap:anywhere]">{push.detail}</span>
      </>
    );
  }
  if (!push.warning) return <Badge tone="green">done</Badge>;
  return (
    <>
      <Badge tone="amber">stored, old ones kept</Badge>
      <span className="mt-1 block text-amber-900 [overflow-wrap:anywhere]" data-testid="last-push-warning">
        {push.warning}. The new backup is stored and counts; until old ones are deleted (by hand, or by a key that may),
        the store keeps growing.
      </span>
    </>
  );
}

/**
 * Without a backup key the weekly job is refused at once (503 "not configured"): checking its
 * runs or comparing keys is no use until someone sets one, so that is what is asked for.
 */
function NoBackupKey({ setup }: { setup: OffsiteSetup }) {
  return (
    <div className="space-y-2 text-sm text-slate-700" data-testid="offsite-advice">
      <p>
        <strong>The first step is missing: this server has no backup key yet.</strong> Off-site copies are made by a
        weekly job on GitHub that fetches the lab&apos;s data from this server with that key. Without it, the job cannot
        fetch anything, so no copy of the data leaves this server.
        {setup.pushEveryMs !== null
          ? ` (The server's own push to cloud storage every ${hoursInWords(setup.pushEveryMs / 3_600_000)} needs no key: "Last push to cloud" says how its last run went.)`
          : null}
      </p>
      <p>
        <strong>What to do:</strong> ask whoever runs the server to set the setting <code>BACKUP_API_KEY</code> on the
        server, and to save the same value on GitHub as the repository secret <code>BACKUP_API_KEY</code>. The steps are{" "}
        <StepsInOperationsDocs section="Set-up (once)" />.
      </p>
    </div>
  );
}

/** The key is there, yet no fresh copy arrived: the job failed, or it holds another key. */
function CheckTheJob() {
  return (
    <p className="text-sm text-slate-700" data-testid="offsite-advice">
      Off-site backups are taken by the weekly GitHub Actions workflow, which fetches the export with the backup API
      key. Check that its last run succeeded and that the repository secret <code>BACKUP_API_KEY</code> matches the
      server&apos;s; the steps are <StepsInOperationsDocs section="Troubleshooting" />.
    </p>
  );
}

/** When the lab's data last left this server, and when a restore drill last proved it comes back. */
export function OffsitePanel({ status, setup }: { status: OffsiteStatus; setup: OffsiteSetup }) {
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
              <When at={status.lastPush.at} /> <LastPush push={status.lastPush} />
            </dd>
          </>
        ) : null}
        <dt className="text-slate-600">Expected</dt>
        <dd>at least every {hoursInWords(status.maxAgeHours)}</dd>
      </dl>
      {status.level === "ok" ? null : setup.exportKey ? <CheckTheJob /> : <NoBackupKey setup={setup} />}
    </Card>
  );
}
