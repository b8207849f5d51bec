// Manage Storage's History card as rendered: the filter names the one chosen, an empty filter
// says so in words, and the pager links to newer and older entries only where there are some.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { AuditHistory, type AuditRow } from "@/components/storage/AuditHistory";
import type { HistoryView } from "@/lib/admin/history";

const row = (id: number): AuditRow => ({
  id,
  kind: "export",
  source: "ui",
  actor: "ada",
  startedAt: new Date("2026-12-05T10:00:00Z"),
  finishedAt: new Date("2026-12-05T10:00:01Z"),
  result: "ok",
  bytes: 1024,
  sha256: "a".repeat(64),
  detail: "",
});

function render(view: Partial<HistoryView>): string {
  const whole: HistoryView = {
    filter: "all",
    rows: [],
    page: 1,
    pages: 1,
    total: 0,
    first: 0,
    last: 0,
    pastTheEnd: false,
    ...view,
  };
  return renderToStaticMarkup(createElement(AuditHistory, { view: whole }));
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
const links = (html: string) =>
  [...html.matchAll(/<a [^>]*href="([^"]+)"[^>]*>(.*?)<\/a>/g)].map((m) => [
    text(m[2]!),
    m[1]!.replaceAll("&amp;", "&"),
  ]);

describe("the History card", () => {
  it("says plainly that a filter has nothing, in the table and in the phone's cards, with no pages to go to", () => {
    const html = render({ filter: "offsite" });
    expect(html.match(/No pushes to the cloud, restore drills or checks yet\./g)).toHaveLength(2);
    expect(text(html)).toContain("No entries");
    expect(links(html).map(([name]) => name)).toEqual([
      "All",
      "Backups and restores",
      "Off-site and checks",
      "Accounts and failed sign-ins",
    ]);
    expect(html).toMatch(/aria-current="page"[^>]*>Off-site and checks</);
  });

  it("names the username a failed sign-in tried, not as if that person had typed it, and shows no empty size or digest", () => {
    const failed: AuditRow = {
      ...row(1),
      kind: "sign-in",
      actor: "ines",
      result: "failed",
      bytes: null,
      sha256: null,
      detail: "Wrong username or password, from 10.0.0.7.",
    };
    const html = render({ filter: "accounts", rows: [failed], total: 1, first: 1, last: 1 });
    expect(text(html)).toContain("in the browser, username tried: ines");
    expect(text(html)).not.toContain("by ines");
    const card = html.slice(html.indexOf('data-testid="history-card"'));
    expect(text(card)).not.toMatch(/Size|SHA-256/);
  });

  it("names an export's file beside its record count", () => {
    const exported: AuditRow = {
      ...row(1),
      detail: JSON.stringify({
        "auth.User": 3,
        "calendarEditor.Machine": 2,
        records_sha256: "b".repeat(64),
        file: "database_backup_2026-12-05_10-00-00.json",
      }),
    };
    const html = render({ rows: [exported], total: 1, first: 1, last: 1 });
    expect(text(html)).toContain("5 records in database_backup_2026-12-05_10-00-00.json");
  });

  it("tells where failed sign-ins went only under All", () => {
    expect(text(render({ filter: "all" }))).toContain(
      "Failed sign-ins and lock-outs are summed up under Sign-in failures",
    );
    expect(text(render({ filter: "backups" }))).not.toContain("summed up");
  });

  it("links to newer and older entries from a middle page, keeping the filter", () => {
    const html = render({
      filter: "backups",
      rows: [row(3), row(2)],
      page: 2,
      pages: 3,
      total: 45,
      first: 21,
      last: 40,
    });
    expect(text(html)).toContain("21–40 of 45 entries");
    expect(links(html).slice(4)).toEqual([
      ["Newest", "/admin/storage?history=backups#history-heading"],
      ["← Newer", "/admin/storage?history=backups#history-heading"],
      ["Older →", "/admin/storage?history=backups&history-page=3#history-heading"],
      ["Oldest", "/admin/storage?history=backups&history-page=3#history-heading"],
    ]);
  });

  it("has no link to newer entries on the newest page, nor to older ones on the oldest, and says when it showed the oldest instead", () => {
    const newest = render({ rows: [row(1)], page: 1, pages: 2, total: 21, first: 1, last: 20 });
    expect(
      links(newest)
        .slice(4)
        .map(([name]) => name),
    ).toEqual(["Older →", "Oldest"]);
    const oldest = render({ rows: [row(1)], page: 2, pages: 2, total: 21, first: 21, last: 21, pastTheEnd: true });
    expect(
      links(oldest)
        .slice(4)
        .map(([name]) => name),
    ).toEqual(["Newest", "← Newer"]);
    expect(text(oldest)).toContain("There are only 2 pages: this is the oldest.");
    expect(text(oldest)).toContain("21 of 21 entries");
  });
});
