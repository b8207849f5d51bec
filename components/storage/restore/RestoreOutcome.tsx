import { SignedOutNotice } from "@/components/storage/restore/SignedOutNotice";
import { EntityName } from "@/components/ui/EntityName";
import { ScrollRegion } from "@/components/ui/ScrollRegion";
import { FiguresHead } from "@/components/ui/Table";
import type { RestoreActionResult } from "@/lib/admin/storage-actions";
import { formatCount, formatDuration, plural } from "@/lib/format";

export function RestoreOutcome({ result }: { result: RestoreActionResult }) {
  if (!result.ok) {
    return (
      <div
        id="restore-error"
        tabIndex={-1}
        className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900"
        data-testid="restore-error"
      >
        <p className="font-semibold">{result.error}</p>
        {result.problems?.length ? (
          <ul className="mt-1 list-disc pl-5">
            {result.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  const total = result.models.reduce((n, m) => n + m.after, 0);
  const merged = result.models.some((m) => m.added !== undefined);
  return (
    <section aria-labelledby="outcome-heading" className="space-y-2" data-testid="restore-report">
      <h3 id="outcome-heading" tabIndex={-1} className="font-semibold text-emerald-800">
        {result.kind === "rollback" ? "Roll back complete" : merged ? "Merge complete" : "Restore complete"} in{" "}
        {formatDuration(result.durationMs)}
      </h3>
      <p className="text-sm text-slate-700">
        {result.kind === "rollback"
          ? `The data is back as it was in ${result.label}: ${formatCount(total)} rows.`
          : merged
            ? `Added the records of ${result.label} that were not here yet, every reference pointing at the same people, machines, presets and entries as in the file; nothing that existed changed.`
            : result.kept.length > 0
              ? `The data now is what ${result.label} holds, with your account kept as it was: ${formatCount(total)} rows.`
              : `The data now is what ${result.label} holds: ${formatCount(total)} rows.`}
      </p>
      {/* Eight columns after a merge: a phone scrolls them sideways, by keyboard too. */}
      <ScrollRegion label="Records before and after" className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="sr-only">
            Records before and after the {merged ? "merge" : "restore"}
            {merged ? "; links added: the file's links to records already here" : ""}
          </caption>
          <FiguresHead
            columns={[
              "Records",
              "Before",
              result.kind === "rollback" ? "In snapshot" : "In backup",
              ...(merged ? ["Added", "Under a new id", "Already here", "Links added"] : []),
              "After",
            ]}
          />
          <tbody className="divide-y divide-slate-100">
            {result.models.map((m) => (
              <tr key={m.label}>
                <th scope="row" className="py-1 text-left font-normal">
                  <EntityName label={m.label} />
                </th>
                {[
                  m.before,
                  m.inBackup,
                  ...(merged ? [m.added ?? 0, m.conflicts ?? 0, m.present ?? 0, m.linked ?? 0] : []),
                  m.after,
                ].map((n, i) => (
                  <td key={i} className="whitespace-nowrap py-1 pl-2 text-right tabular-nums">
                    {formatCount(n)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {result.kept.length > 0 ? (
        <ul className="list-disc pl-5 text-sm text-slate-700" data-testid="restore-kept">
          {result.kept.map((k, i) => (
            <li key={i}>{k}</li>
          ))}
        </ul>
      ) : null}
      <p className="text-sm text-slate-600">
        The previous data is kept as safety snapshot <code className="text-xs">{result.safetySnapshot}</code>.{" "}
        {result.notified > 0
          ? `Besides the rows above, ${formatCount(result.notified)} “database restored” ${plural(result.notified, "notice")} went to staff.`
          : "No staff were notified."}
      </p>
      {result.pruned.length > 0 ? (
        <div className="text-sm text-slate-700" data-testid="restore-pruned">
          <p>
            {formatCount(result.pruned.length)} older safety {plural(result.pruned.length, "snapshot")}{" "}
            {plural(result.pruned.length, "was", "were")} removed (the newest few and the first of each of the last 7
            days are kept):
          </p>
          <ul className="list-disc pl-5 [overflow-wrap:anywhere]">
            {result.pruned.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {result.warnings.length > 0 ? (
        <ul className="list-disc pl-5 text-sm text-amber-900">
          {result.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      ) : null}
      {result.signInAgain ? (
        <SignedOutNotice what={result.kind === "rollback" ? "roll back" : "restore"} signInAs={result.signInAs} />
      ) : null}
    </section>
  );
}
