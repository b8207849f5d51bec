import type { DryRun } from "@/lib/backup/http-upload";
import { formatBytes, formatCount, formatDateTime, plural } from "@/lib/format";

export function DryRunReport({ dryRun }: { dryRun: DryRun }) {
  const { report, current } = dryRun;
  return (
    <section aria-labelledby="dry-run-heading" className="space-y-3" data-testid="dry-run-report">
      <h3 id="dry-run-heading" className="font-semibold [overflow-wrap:anywhere]">
        Dry run: {dryRun.fileName} <span className="font-normal text-slate-500">({formatBytes(dryRun.bytes)})</span>
      </h3>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
        <dt className="text-slate-500">Exported</dt>
        <dd>{formatDateTime(report.exportDate)}</dd>
        <dt className="text-slate-500">Format</dt>
        <dd>{report.formatVersion === 0 ? "the original Django app's" : (report.formatVersion ?? "–")}</dd>
        <dt className="text-slate-500">Source</dt>
        <dd>{report.kind ?? "unreadable"}</dd>
        <dt className="text-slate-500">Digest</dt>
        <dd>{report.digest}</dd>
      </dl>
      <table className="w-full text-sm">
        <caption className="sr-only">Records in the file compared with the current database</caption>
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th scope="col" className="py-1">
              Model
            </th>
            <th scope="col" className="py-1 text-right">
              In file
            </th>
            <th scope="col" className="py-1 text-right">
              Now
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {Object.entries(report.counts).map(([label, n]) => (
            <tr key={label} data-testid="dry-run-row">
              <th scope="row" className="py-1 text-left font-normal [overflow-wrap:anywhere]">
                <code className="text-xs">{label}</code>
              </th>
              <td className="whitespace-nowrap py-1 pl-2 text-right tabular-nums">{formatCount(n)}</td>
              <td className="whitespace-nowrap py-1 pl-2 text-right tabular-nums text-slate-500">
                {formatCount(current[label] ?? 0)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.problems.length > 0 ? (
        <div role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <p className="font-semibold">This file cannot be restored. Nothing was changed.</p>
          <ul className="mt-1 list-disc pl-5 [overflow-wrap:anywhere]">
            {report.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </div>
      ) : report.losses.length > 0 ? (
        <div
          role="alert"
          className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950"
          data-testid="dry-run-losses"
        >
          <p className="font-semibold">The file is whole, but this app cannot keep everything in it:</p>
          <ul className="mt-1 list-disc pl-5 [overflow-wrap:anywhere]">
            {report.losses.map((l, i) => (
              <li key={i}>{l.text}</li>
            ))}
          </ul>
          <p className="mt-1">It can only be restored if you accept losing this data.</p>
        </div>
      ) : (
        <p className="rounded bg-emerald-50 p-3 text-sm text-emerald-900">The file is whole and restorable.</p>
      )}
      {report.warnings.length > 0 ? (
        <ul className="list-disc pl-5 text-sm text-amber-900">
          {report.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      ) : null}
      {report.notes.length > 0 ? (
        <details className="rounded border border-slate-200 p-3 text-sm" data-testid="dry-run-notes">
          <summary className="cursor-pointer">
            {formatCount(report.notes.length)} {plural(report.notes.length, "note")}: values loaded the way the original
            app loads them
          </summary>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-700 [overflow-wrap:anywhere]">
            {report.notes.map((n, i) => (
              <li key={i}>{n.text}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
