// The History card's view: which group of events and which page of them the query asks for,
// and that page with its place among them ("21–40 of 312").
import { z } from "zod";

import { pageWindow } from "@/lib/admin/pagination";
import { AUDIT_KIND_GROUP, auditPage, countAudit, kindsOf, type AuditGroup } from "@/lib/backup/audit";

export const HISTORY_PAGE_SIZE = 20;

const GROUPS = [...new Set(Object.values(AUDIT_KIND_GROUP))] as [AuditGroup, ...AuditGroup[]];

/**
 * `?history=backups&history-page=3` on Manage Storage. Anything else (an unknown group, a page
 * that is no number) is ignored: the newest entries of every kind.
 */
export const HistoryQuery = z.object({
  history: z.enum(["all", ...GROUPS]).catch("all"),
  "history-page": z.coerce.number().int().min(1).max(1_000_000).catch(1),
});
export type HistoryFilter = z.infer<typeof HistoryQuery>["history"];

export const HISTORY_FILTERS: HistoryFilter[] = ["all", ...GROUPS];

export function historyQueryFrom(searchParams: Record<string, string | string[] | undefined>) {
  const { history: filter, "history-page": page } = HistoryQuery.parse({
    history: searchParams.history,
    "history-page": searchParams["history-page"],
  });
  return { filter, page };
}

/** The link to a filter's page: the first page and "all" are left out, so the plain page stays plain. */
export function historyHref(filter: HistoryFilter, page = 1): string {
  const query = new URLSearchParams();
  if (filter !== "all") query.set("history", filter);
  if (page > 1) query.set("history-page", String(page));
  const search = query.size > 0 ? `?${query}` : "";
  return `/admin/storage${search}#history-heading`;
}

/**
 * One page of the History, newest first. "All" leaves out failed sign-ins and lock-outs (a
 * guessing attack would bury every restore; the Sign-in failures card sums them up); a page
 * past the end is the last one.
 */
export async function historyView(filter: HistoryFilter, page: number, size = HISTORY_PAGE_SIZE) {
  const kinds = filter === "all" ? undefined : kindsOf(filter);
  const window = pageWindow(page, await countAudit(kinds), size);
  const rows = await auditPage(window.skip, window.take, kinds);
  return {
    filter,
    rows,
    page: window.page,
    pages: window.pages,
    total: window.total,
    /** 1-based positions of the first and last entry shown (0 and 0 when there are none). */
    first: rows.length > 0 ? window.skip + 1 : 0,
    last: window.skip + rows.length,
    /** The page asked for was past the end: this is the last page instead. */
    pastTheEnd: page > window.page,
  };
}
export type HistoryView = Awaited<ReturnType<typeof historyView>>;
