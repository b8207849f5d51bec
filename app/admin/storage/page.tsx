import type { Metadata } from "next";
import { Suspense } from "react";

import { PageHeader } from "@/components/admin/PageHeader";
import { ArchivePanel } from "@/components/storage/ArchivePanel";
import { AuditHistory } from "@/components/storage/AuditHistory";
import { BackupDownloads } from "@/components/storage/BackupDownloads";
import { CloudBackupsLoading, CloudBackupsSection } from "@/components/storage/CloudBackupsSection";
import { OffsitePanel } from "@/components/storage/OffsitePanel";
import { ReplicaCard } from "@/components/storage/ReplicaCard";
import { ReplicaNotForThisDatabase } from "@/components/storage/ReplicaNotForThisDatabase";
import { RestoreProvider } from "@/components/storage/restore/RestoreContext";
import { RestorePanel } from "@/components/storage/restore/RestorePanel";
import { SafetySnapshots } from "@/components/storage/restore/SafetySnapshots";
import { SignInFailures } from "@/components/storage/SignInFailures";
import { StorageContents } from "@/components/storage/StorageContents";
import { StoragePanel } from "@/components/storage/StoragePanel";
import { Card } from "@/components/ui/Card";
import { listArchiveCopies } from "@/lib/admin/archive";
import { cloudDownloadProblem } from "@/lib/admin/cloud-download";
import { historyQueryFrom, historyView } from "@/lib/admin/history";
import { offsiteSetup } from "@/lib/admin/offsite-setup";
import { replicaCard } from "@/lib/admin/replica";
import { safetySnapshotRows } from "@/lib/admin/safety-snapshots";
import { modelStorage, storageFigures } from "@/lib/admin/stats";
import { requireStaffPage } from "@/lib/auth/guard";
import { signInLocks } from "@/lib/auth/sign-in";
import { recentAudit, SIGN_IN_TROUBLE_HOURS, signInTrouble } from "@/lib/backup/audit";
import { maxUploadBytes } from "@/lib/config";
import { offsiteStatus } from "@/lib/offsite/watch";

export const metadata: Metadata = { title: "Manage Storage" };

export default async function StoragePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireStaffPage("/admin/storage");
  const query = await searchParams;
  const { filter, page } = historyQueryFrom(query);
  // The downloads' notice counts from the newest entry of all, whatever History is filtered to.
  const [[newest], history] = await Promise.all([recentAudit(1), historyView(filter, page)]);
  const [models, storage] = await Promise.all([modelStorage(), storageFigures()]);
  const archived = models.find((m) => m.name === "ArchivedMeasurement")!;
  const snapshots = await safetySnapshotRows();
  // A file snapshot and the continuous replica (Litestream) are SQLite's; PostgreSQL relies on
  // its provider's point-in-time recovery plus our exports.
  const onSqlite = storage.engine === "sqlite";
  return (
    <>
      <PageHeader title="Manage Storage">Export, snapshot and restore the lab&apos;s database.</PageHeader>
      <StorageContents />
      <div className="grid items-start gap-6 lg:grid-cols-2 [&>*]:min-w-0">
        <div className="space-y-6">
          <Card id="backup" title="Back up" spacing="">
            <p className="mt-1 text-sm text-slate-600">
              The JSON export holds every record of all eight entities in the Django-compatible format, with counts and
              a digest that prove it whole.{" "}
              {onSqlite
                ? "The SQLite snapshot is a consistent copy of the database file."
                : "SQLite snapshots apply to a SQLite database; this lab's database is PostgreSQL, whose provider keeps point-in-time backups beside these exports."}
            </p>
            <BackupDownloads lastEventId={newest?.id ?? 0} snapshot={onSqlite} />
          </Card>
          <OffsitePanel status={await offsiteStatus()} setup={offsiteSetup()} />
        </div>
        <StoragePanel storage={storage} models={models} />
      </div>
      <RestoreProvider>
        <div className="mt-6 grid items-start gap-6 lg:grid-cols-2 [&>*]:min-w-0">
          <RestorePanel maxUploadBytes={maxUploadBytes()} />
          <div className="space-y-6">
            {onSqlite ? <ReplicaCard replica={await replicaCard()} /> : <ReplicaNotForThisDatabase />}
            <Suspense fallback={<CloudBackupsLoading />}>
              <CloudBackupsSection downloadProblem={cloudDownloadProblem(query)} />
            </Suspense>
            <SafetySnapshots snapshots={snapshots} />
          </div>
        </div>
      </RestoreProvider>
      <div className="mt-6 grid items-start gap-6 lg:grid-cols-2 [&>*]:min-w-0">
        <ArchivePanel rows={archived.rows} bytes={archived.bytes} copies={listArchiveCopies()} />
      </div>
      <div className="mt-6">
        <AuditHistory view={history} />
      </div>
      <div className="mt-6 grid items-start gap-6 lg:grid-cols-2 [&>*]:min-w-0">
        <SignInFailures trouble={await signInTrouble()} hours={SIGN_IN_TROUBLE_HOURS} locks={await signInLocks()} />
      </div>
    </>
  );
}
