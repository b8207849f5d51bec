import { Card } from "@/components/ui/Card";
import { EntityName } from "@/components/ui/EntityName";
import { FiguresHead } from "@/components/ui/Table";
import type { ModelStorage, StorageFigures } from "@/lib/admin/stats";
import { formatBytes, formatCount } from "@/lib/format";

const LEVEL_STYLE = {
  ok: { bar: "bg-emerald-600", text: "text-slate-700", word: "" },
  warning: { bar: "bg-amber-500", text: "text-amber-900", word: "Warning: " },
  critical: { bar: "bg-red-600", text: "text-red-800 font-semibold", word: "Critical: " },
} as const;

function UsageMeter({ storage }: { storage: StorageFigures }) {
  const style = LEVEL_STYLE[storage.level];
  const percent = Math.min(100, storage.percentUsed);
  const used = storage.databaseBytes + storage.walBytes;
  return (
    <div className="mt-3 space-y-1" data-testid="storage-usage">
      <p className={`text-sm ${style.text}`}>
        {style.word}
        {formatBytes(used)} of the {formatBytes(storage.maxBytes)} planned for the database (
        {storage.percentUsed.toFixed(storage.percentUsed < 10 ? 1 : 0)} %)
      </p>
      <div
        role="meter"
        aria-label="Database size against its planned maximum"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent)}
        className="h-2 w-full overflow-hidden rounded bg-slate-200"
      >
        <div className={`h-full ${style.bar}`} style={{ width: `${percent}%` }} />
      </div>
      <p className="text-xs text-slate-500">Warning at 80 %, critical at 95 % (MAX_DATABASE_SIZE_MB).</p>
    </div>
  );
}

export function StoragePanel({ storage, models }: { storage: StorageFigures; models: ModelStorage[] }) {
  const total = models.reduce((n, m) => n + m.rows, 0);
  const onSqlite = storage.engine === "sqlite";
  return (
    <Card id="storage" title="Storage" spacing="">
      <UsageMeter storage={storage} />
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
        <Item
          label={onSqlite ? "Database file" : "Database"}
          value={formatBytes(storage.databaseBytes)}
          testId="storage-db-size"
        />
        {onSqlite ? <Item label="Recent changes log" value={formatBytes(storage.walBytes)} /> : null}
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
        <caption className="sr-only">
          Rows and space per entity, as {onSqlite ? "SQLite" : "PostgreSQL"} stores them
        </caption>
        <FiguresHead columns={["Entity", "Rows", "Space", "Share"]} />
        <tbody className="divide-y divide-slate-100">
          {models.map((m) => (
            <tr key={m.name}>
              <th scope="row" className="py-1 text-left font-normal">
                <EntityName label={m.label} />
              </th>
              <td
                className="whitespace-nowrap py-1 pl-2 text-right tabular-nums"
                data-testid={`storage-count-${m.name}`}
              >
                {formatCount(m.rows)}
              </td>
              <td className="whitespace-nowrap py-1 pl-2 text-right tabular-nums">{formatBytes(m.bytes)}</td>
              <td className="whitespace-nowrap py-1 pl-2 text-right tabular-nums text-slate-600">
                {m.share.toFixed(m.share < 10 ? 1 : 0)} %
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
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
