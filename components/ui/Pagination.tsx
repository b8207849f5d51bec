import Link from "next/link";

import { formatCount } from "@/lib/format";

interface Props {
  page: number;
  pages: number;
  total: number;
  noun: string;
  /** Builds the href for a page, keeping the page's other filters. */
  hrefFor: (page: number) => string;
}

/** The pages to link: the first, the last, and two either side of the current one; gaps as null. */
export function pageNumbers(page: number, pages: number): (number | null)[] {
  const wanted = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2].filter((p) => p >= 1 && p <= pages));
  const sorted = [...wanted].sort((a, b) => a - b);
  return sorted.flatMap((p, i) => (i > 0 && p - sorted[i - 1]! > 1 ? [null, p] : [p]));
}

export function Pagination({ page, pages, total, noun, hrefFor }: Props) {
  const linkClass = "rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-100";
  return (
    <nav
      aria-label="Pagination"
      className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm text-slate-600"
    >
      <span>
        {formatCount(total)} {noun} · page {page} of {pages}
      </span>
      <span className="flex flex-wrap gap-1">
        {page > 1 ? (
          <Link className={linkClass} href={hrefFor(page - 1)} rel="prev">
            Previous
          </Link>
        ) : null}
        {pages > 1
          ? pageNumbers(page, pages).map((p, i) =>
              p === null ? (
                <span key={`gap${i}`} className="px-1 py-1" aria-hidden>
                  …
                </span>
              ) : (
                <Link
                  key={p}
                  className={p === page ? `${linkClass} border-sky-700 bg-sky-50 font-semibold` : linkClass}
                  href={hrefFor(p)}
                  aria-current={p === page ? "page" : undefined}
                  aria-label={`Page ${p}`}
                >
                  {p}
                </Link>
              ),
            )
          : null}
        {page < pages ? (
          <Link className={linkClass} href={hrefFor(page + 1)} rel="next">
            Next
          </Link>
        ) : null}
      </span>
    </nav>
  );
}
