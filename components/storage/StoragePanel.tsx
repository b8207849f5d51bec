import type { StorageFigures } from "@/lib/admin/stats";
import type { ModelCount } from "@/lib/backup/row-counts";
import { formatBytes, formatCount } from "@/lib/format";

export function StoragePanel({ storage, counts }: { storage: StorageFigures; counts: ModelCount[] }) {
  const total = counts.reduce((n, c) => n + c.rows, 0);
  return (
    <section aria-labelledby="storage-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="storage-heading" className="text-lg font-semibold">
        Storage
      </h2>
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
        <Item label="Database file" value={formatBytes(storage.databaseBytes)} testId="storage-db-size" />
        <Item label="Write-ahead log" value={formatBytes(storage.walBytes)} />
        <Item
          label="Free disk"
          value={
            storage.freeDiskBytes === null
              ? "–"
              : `${formatBytes(storage.freeDiskBytes)} of ${formatBytes(storage.totalDiskBytes)}`
          }
        />
        <Item label="Rows" value={formatCount(total)} />
      </dl>
      <p className="mt-2 truncate text-xs text-slate-500" title={storage.databaseFile}>
        {storage.databaseFile}
      </p>
      <table className="mt-3 w-full text-sm">
        <caption className="sr-only">Rows per entity</caption>
        <tbody className="divide-y divide-slate-100">
          {counts.map((c) => (
            <tr key={c.name}>
              <th scope="row" className="py-1 text-left font-normal">
                {c.name}
              </th>
              <td className="py-1 text-right tabular-nums" data-testid={`storage-count-${c.name}`}>
                {formatCount(c.rows)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Item({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="font-medium tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
