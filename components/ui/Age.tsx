import { ageInWords } from "@/lib/format";

/**
 * "3 hours ago": a date's age, as the server wrote it. The browser keeps the server's words when
 * it takes over the page (suppressHydrationWarning): a laptop whose clock is off, or a page that
 * finishes loading after a minute boundary, would otherwise disagree, and React would rebuild the
 * whole page in the browser, emptying a backup file the lab manager has just chosen.
 */
export function Age({ of }: { of: Date | string }) {
  return <span suppressHydrationWarning>{ageInWords(of)}</span>;
}
