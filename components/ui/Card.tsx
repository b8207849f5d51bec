import type { ReactNode } from "react";

/** A titled panel: a section named by its heading, so screen readers list it as a region. */
export function Card({
  id,
  title,
  testId,
  spacing = "space-y-3",
  children,
}: {
  /** Prefix of the heading's id (`${id}-heading`), which e2e tests and skip links may target. */
  id: string;
  title: ReactNode;
  testId?: string;
  /** Tailwind spacing between the children ("" when they space themselves). */
  spacing?: "space-y-3" | "";
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-heading`}
      className={`${spacing} rounded-lg border border-slate-200 bg-white p-4`}
      data-testid={testId}
    >
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
