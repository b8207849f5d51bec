import { Children, type ReactNode } from "react";

/**
 * A table's rows as cards (a column of them, or a grid on a tablet), for screens too narrow for the table. A page
 * renders both and shows one: the table's region hidden below a breakpoint (`hidden lg:block`),
 * this list from it up (`lg:hidden`). `display: none` hides the other from assistive technology
 * too, so a screen reader meets one set of rows. role="list": Safari drops a list's role when
 * its bullets are styled away.
 */
export function RowCards({
  label,
  className = "",
  empty,
  children,
}: {
  /** The list's name, as the table's caption names the table. */
  label: string;
  /** Where the list shows, e.g. "lg:hidden", and how the cards sit (a grid from some width). */
  className?: string;
  /** What to say when there are no rows. */
  empty: ReactNode;
  children: ReactNode;
}) {
  if (Children.count(children) === 0) return <p className={`text-sm text-slate-500 ${className}`}>{empty}</p>;
  return (
    <ul role="list" aria-label={label} className={`grid items-start gap-3 ${className}`}>
      {children}
    </ul>
  );
}

/** One row as a card: its title (a heading, for moving from card to card) and its fields. */
export function RowCard({ testId, children }: { testId?: string; children: ReactNode }) {
  return (
    <li className="min-w-0 rounded-lg border border-slate-200 bg-white p-4 text-sm" data-testid={testId}>
      {children}
    </li>
  );
}

/** A card's fields, two to a line, each name above its value: a phone shows a card in a glance. */
export function CardFields({ children }: { children: ReactNode }) {
  return <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-3">{children}</dl>;
}

/** One field; `wide` for a value that needs the card's whole width (a sentence, not a figure). */
export function CardField({ label, wide = false, children }: { label: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`min-w-0 ${wide ? "col-span-2" : ""}`}>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-0.5 [overflow-wrap:anywhere]">{children}</dd>
    </div>
  );
}
