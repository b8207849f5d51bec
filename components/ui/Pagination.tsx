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

export function Pagination({ page, pages, total, noun, hrefFor }: Props) {
  const linkClass = "rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-100";
  return (
    <nav aria-label="Pagination" className="mt-3 flex items-center justify-between text-sm text-slate-600">
      <span>
        {formatCount(total)} {noun} · page {page} of {pages}
      </span>
      <span className="flex gap-2">
        {page > 1 ? (
          <Link className={linkClass} href={hrefFor(page - 1)} rel="prev">
            Previous
          </Link>
        ) : null}
        {page < pages ? (
          <Link className={linkClass} href={hrefFor(page + 1)} rel="next">
            Next
          </Link>
        ) : null}
      </span>
    </nav>
  );
}
