// The History's filter by what happened and its paging back through older entries: links, so
// the choice lives in the address (a reload or a shared link keeps it, Back goes back).
import Link from "next/link";
import type { ReactNode } from "react";

import { HISTORY_FILTERS, historyHref, type HistoryFilter, type HistoryView } from "@/lib/admin/history";
import { formatCount } from "@/lib/format";

/** Each filter's name on its link, the table's caption, and what an empty page says. */
export const HISTORY_FILTER_WORDS: Record<HistoryFilter, { label: string; caption: string; empty: string }> = {
  all: { label: "All", caption: "History: all entries", empty: "No exports or restores yet." },
  backups: {
    label: "Backups and restores",
    caption: "History: backups and restores",
    empty: "No exports, snapshots or restores yet.",
  },
  offsite: {
    label: "Off-site and checks",
    caption: "History: off-site copies and checks",
    empty: "No pushes to the cloud, restore drills or checks yet.",
  },
  accounts: {
    label: "Accounts and failed sign-ins",
    caption: "History: accounts and failed sign-ins",
    empty: "No account changes or failed sign-ins yet.",
  },
};

const choiceClass = "rounded-full border px-3 py-1 focus-visible:outline-2 focus-visible:outline-sky-700";

export function HistoryFilters({ current }: { current: HistoryFilter }) {
  return (
    <nav aria-label="Show in History" className="mb-3">
      <ul className="flex flex-wrap gap-2 text-sm">
        {HISTORY_FILTERS.map((filter) => (
          <li key={filter}>
            <Link
              href={historyHref(filter)}
              aria-current={filter === current ? "page" : undefined}
              className={
                filter === current
                  ? `${choiceClass} border-sky-700 bg-sky-700 font-medium text-white`
                  : `${choiceClass} border-slate-300 bg-white text-slate-700 hover:bg-slate-100`
              }
            >
              {HISTORY_FILTER_WORDS[filter].label}
            </Link>
          </li>
        ))}
      </ul>
      {current === "all" ? (
        <p className="mt-2 text-xs text-slate-500">
          Failed sign-ins and lock-outs are summed up under Sign-in failures; choose Accounts and failed sign-ins to see
          each one.
        </p>
      ) : null}
    </nav>
  );
}

const stepClass = "rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-100";

/** A step to newer or older entries: a link, or its name greyed out where there is nowhere to go. */
function Step({ to, rel, children }: { to: string | null; rel?: string; children: ReactNode }) {
  if (!to) {
    return (
      <span className="rounded border border-transparent px-3 py-1 text-slate-500" aria-disabled="true">
        {children}
      </span>
    );
  }
  return (
    <Link className={stepClass} href={to} rel={rel}>
      {children}
    </Link>
  );
}

/** "21–40 of 312 entries", "1 entry", "No entries". */
function positionInWords(first: number, last: number, total: number): string {
  if (total === 0) return "No entries";
  if (total === 1) return "1 entry";
  const shown = first === last ? formatCount(first) : `${formatCount(first)}–${formatCount(last)}`;
  return `${shown} of ${formatCount(total)} entries`;
}

/** "21–40 of 312 entries", and links to the newest, newer, older and oldest entries. */
export function HistoryPager({ view }: { view: HistoryView }) {
  const { filter, page, pages, total, first, last, pastTheEnd } = view;
  const at = (p: number) => (p === page || p < 1 || p > pages ? null : historyHref(filter, p));
  return (
    <nav aria-label="History pages" className="mt-3 space-y-2 text-sm text-slate-600">
      {pastTheEnd ? (
        <p role="status">
          There {pages === 1 ? "is only 1 page" : `are only ${formatCount(pages)} pages`}: this is the oldest.
        </p>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-2">
        {/* Said again when it changes: a screen reader hears where Older or a filter led. */}
        <span data-testid="history-position" aria-live="polite">
          {positionInWords(first, last, total)}
        </span>
        {pages > 1 ? (
          <span className="flex flex-wrap gap-1">
            <Step to={at(1)}>Newest</Step>
            <Step to={at(page - 1)} rel="prev">
              <span aria-hidden>← </span>Newer
            </Step>
            <Step to={at(page + 1)} rel="next">
              Older<span aria-hidden> →</span>
            </Step>
            <Step to={at(pages)}>Oldest</Step>
          </span>
        ) : null}
      </div>
    </nav>
  );
}
