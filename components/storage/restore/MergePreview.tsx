"use client";

// What a merge of the uploaded backup would do, asked of the server when Merge is ticked: per
// entity what it adds (under the record's own id, or a new one where a different record holds
// that id here) and what is already here, and the first few such conflicts in words.
import { useEffect, useState } from "react";

import { previewMergeAction } from "@/app/admin/storage/actions";
import { EntityName } from "@/components/ui/EntityName";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { ScrollRegion } from "@/components/ui/ScrollRegion";
import { FiguresHead } from "@/components/ui/Table";
import type { MergePreviewResult } from "@/lib/admin/storage-actions";
import { formatCount, plural } from "@/lib/format";

export type MergePreviewState = { state: "loading" } | MergePreviewResult;

/** Asks for the merge preview of `uploadId` while `active`; null while not asked for. */
export function useMergePreview(uploadId: string | null, active: boolean): MergePreviewState | null {
  const [preview, setPreview] = useState<{ uploadId: string; result: MergePreviewResult } | null>(null);
  useEffect(() => {
    if (!active || !uploadId || preview?.uploadId === uploadId) return;
    let current = true;
    previewMergeAction({ uploadId })
      .catch((error: unknown) => ({ ok: false as const, error: `The merge could not be previewed: ${String(error)}` }))
      .then((result) => current && setPreview({ uploadId, result }));
    return () => {
      current = false;
    };
  }, [active, uploadId, preview?.uploadId]);
  if (!active || !uploadId) return null;
  return preview?.uploadId === uploadId ? preview.result : { state: "loading" };
}

/** Conflicts listed before the rest are folded away. */
const SHOWN_CONFLICTS = 5;

function MergeTable({ models }: { models: Extract<MergePreviewResult, { ok: true }>["models"] }) {
  return (
    <ScrollRegion label="What the merge adds" className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">What the merge adds, and what is already here, per kind of record</caption>
        <FiguresHead columns={["Records", "Added", "Under a new id", "Already here"]} />
        <tbody className="divide-y divide-slate-100">
          {models.map((m) => (
            <tr key={m.label} data-testid="merge-row">
              <th scope="row" className="py-1 text-left font-normal">
                <EntityName label={m.label} />
                <span className="block text-xs text-slate-500 [overflow-wrap:anywhere]">
                  {formatCount(m.inFile)} in the file · {formatCount(m.now)} now ·{" "}
                  {formatCount(m.now + m.added + m.conflicts)} after
                </span>
              </th>
              <td className="py-1 pl-2 text-right tabular-nums text-emerald-800">{formatCount(m.added)}</td>
              <td
                className={`py-1 pl-2 text-right tabular-nums ${m.conflicts > 0 ? "font-semibold text-amber-800" : ""}`}
              >
                {formatCount(m.conflicts)}
              </td>
              <td className="py-1 pl-2 text-right tabular-nums text-slate-600">{formatCount(m.present)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** The first few conflicts in words; the rest folded away. */
function Conflicts({ examples }: { examples: string[] }) {
  const [shown, folded] = [examples.slice(0, SHOWN_CONFLICTS), examples.slice(SHOWN_CONFLICTS)];
  const list = (items: string[]) => (
    <ul className="mt-1 list-disc space-y-1 pl-5 [overflow-wrap:anywhere]">
      {items.map((e, i) => (
        <li key={i}>{e}</li>
      ))}
    </ul>
  );
  return (
    <div
      className="rounded border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950"
      data-testid="merge-conflicts"
    >
      <p className="font-semibold">Ids that belong to a different record here</p>
      <p className="mt-1">
        These records come in under a new id, and the file&apos;s records that refer to them follow, so everything stays
        with the same people and machines as in the file. For example:
      </p>
      {list(shown)}
      {folded.length > 0 ? (
        <details className="mt-1">
          <summary className="cursor-pointer">{formatCount(folded.length)} more examples</summary>
          {list(folded)}
        </details>
      ) : null}
    </div>
  );
}

export function MergePreview({ preview }: { preview: MergePreviewState }) {
  if ("state" in preview) return <ProgressBar label="Comparing the file with the database" value={null} />;
  if (!preview.ok) {
    return (
      <div role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900">
        <p className="font-semibold">{preview.error}</p>
        {preview.problems?.length ? (
          <ul className="mt-1 list-disc pl-5 [overflow-wrap:anywhere]">
            {preview.problems.slice(0, 5).map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  const examples = preview.models.flatMap((m) => m.examples);
  return (
    <div className="space-y-3" data-testid="merge-preview">
      <p className="text-sm font-medium" data-testid="merge-summary">
        {preview.summary}
      </p>
      <MergeTable models={preview.models} />
      {examples.length > 0 ? <Conflicts examples={examples} /> : null}
      <p className="text-sm text-slate-700">
        A merge changes no record that is here now, so nobody who can sign in now is locked out.
      </p>
    </div>
  );
}

/** The merge's figures in a few words, for the confirm dialog. */
export function MergeConfirmList({ preview }: { preview: Extract<MergePreviewResult, { ok: true }> }) {
  const changed = preview.models.filter((m) => m.added + m.conflicts + m.linked > 0);
  return (
    <ul className="list-disc pl-5" data-testid="confirm-merge-models">
      {changed.map((m) => (
        <li key={m.label}>
          <EntityName label={m.label} />: {formatCount(m.added + m.conflicts)} added
          {m.conflicts > 0 ? ` (${formatCount(m.conflicts)} under a new id)` : ""}
          {m.present > 0 ? `, ${formatCount(m.present)} already here` : ""}
          {m.linked > 0
            ? `; ${formatCount(m.linked)} ${plural(m.linked, m.linkNoun)} linked to those already here`
            : ""}
        </li>
      ))}
    </ul>
  );
}
