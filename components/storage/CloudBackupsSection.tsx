// The Cloud Backups card, streamed in: the page around it renders at once, and this part follows
// when every target has answered or was given up on (lib/admin/cloud.ts). A provider that
// accepts the connection and never answers must not hold up the page needed in a disaster.
import { CloudBackups } from "@/components/storage/CloudBackups";
import { Card } from "@/components/ui/Card";
import { cloudTargetLabels, listCloudBackups } from "@/lib/admin/cloud";
import type { CloudDownloadProblem } from "@/lib/admin/cloud-download";

export async function CloudBackupsSection({ downloadProblem }: { downloadProblem: CloudDownloadProblem | null }) {
  return <CloudBackups targets={await listCloudBackups()} downloadProblem={downloadProblem} />;
}

/** What shows while the targets are asked: which ones, and that the rest of the page works. */
export function CloudBackupsLoading() {
  const labels = cloudTargetLabels();
  return (
    <Card id="cloud" title="Cloud Backups" testId="cloud-backups-loading">
      <p className="text-sm text-slate-600" role="status" aria-live="polite">
        {labels.length === 0 ? "Looking for off-site storage…" : `Asking ${labels.join(" and ")} for its backups…`}
      </p>
    </Card>
  );
}
