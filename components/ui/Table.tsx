import type { ReactNode } from "react";

import { ScrollRegion } from "@/components/ui/ScrollRegion";

export function Table({
  caption,
  head,
  className = "",
  children,
}: {
  caption: string;
  head: ReactNode[];
  /** Where the table shows, when a page gives narrow screens its rows as cards (RowCards) instead. */
  className?: string;
  children: ReactNode;
}) {
  return (
    <ScrollRegion
      label={caption}
      className={`overflow-x-auto rounded-lg border border-slate-200 bg-white ${className}`}
    >
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-100 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className="px-3 py-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </ScrollRegion>
  );
}

/** A numeric cell holds a figure with its unit ("10 queued", "0.01 – 1.5 K"): right-aligned and kept on one line. */
export function Cell({ children, numeric = false }: { children: ReactNode; numeric?: boolean }) {
  return (
    <td className={`px-3 py-2 align-top ${numeric ? "whitespace-nowrap text-right tabular-nums" : ""}`}>{children}</td>
  );
}

export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      {/* Left on a phone: centred across a table wider than the screen, the words were cut off. */}
      <td colSpan={columns} className="px-3 py-6 text-left text-slate-500 sm:text-center">
        {children}
      </td>
    </tr>
  );
}

/**
 * The head of a small figures table inside a card: the first column names the row, the rest
 * hold numbers (right-aligned). One way for the storage, dry-run, merge and outcome tables.
 */
export function FiguresHead({ columns }: { columns: string[] }) {
  return (
    <thead className="text-left text-xs uppercase text-slate-500">
      <tr>
        {columns.map((h, i) => (
          <th key={h} scope="col" className={i === 0 ? "py-1" : "py-1 pl-2 text-right"}>
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}
