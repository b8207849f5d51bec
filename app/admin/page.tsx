import type { Metadata } from "next";
import Link from "next/link";

import { PageHeader } from "@/components/admin/PageHeader";
import { EntityName } from "@/components/ui/EntityName";
import { Cell, Table } from "@/components/ui/Table";
import { storageFigures } from "@/lib/admin/stats";
import { requireStaffPage } from "@/lib/auth/guard";
import { databaseCounts } from "@/lib/backup/row-counts";
import { formatBytes, formatCount } from "@/lib/format";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  await requireStaffPage("/admin");
  const [counts, storage] = await Promise.all([databaseCounts(), storageFigures()]);
  const total = counts.reduce((sum, c) => sum + c.rows, 0);
  return (
    <>
      <PageHeader title="Overview">
        What the database holds right now. Compare these figures after a restore.
      </PageHeader>
      <dl className="mb-6 grid grid-cols-1 gap-3 sm:grid-cols-3">
        <Figure label="Rows in all entities" value={formatCount(total)} testId="total-rows" />
        <Figure
          label={storage.engine === "sqlite" ? "Database file" : "Database"}
          value={formatBytes(storage.databaseBytes)}
          testId="database-size"
        />
        {storage.engine === "sqlite" ? <Figure label="Write-ahead log" value={formatBytes(storage.walBytes)} /> : null}
      </dl>
      <Table caption="Rows per entity" head={["Entity", "Rows"]}>
        {counts.map((c) => (
          <tr key={c.name} data-testid={`count-${c.name}`}>
            <Cell>
              <EntityName label={c.label} showLabel />
            </Cell>
            <Cell numeric>{formatCount(c.rows)}</Cell>
          </tr>
        ))}
      </Table>
      <p className="mt-6 text-sm">
        Backups and restores:{" "}
        <Link className="text-sky-700 underline" href="/admin/storage">
          Manage Storage
        </Link>
        .
      </p>
    </>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
