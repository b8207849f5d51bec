// Manage Storage's History a page at a time: filtered by what happened (every kind in one
// group), newest first, with its place among them ("21–40 of 45"), a page past the end shown
// as the last one, and a query it cannot use ignored.
import { describe, expect, it } from "vitest";

import { historyHref, historyQueryFrom, historyView } from "@/lib/admin/history";
import { AUDIT_KIND_GROUP, recordAudit, type AuditEntry, type AuditKind } from "@/lib/backup/audit";
import { freshDatabase } from "@/tests/support/db";

const entry = (kind: AuditKind, actor = "ada"): AuditEntry => ({
  kind,
  source: "ui",
  actor,
  startedAt: new Date("2026-12-05T06:00:00Z"),
  result: kind === "sign-in" || kind === "lockout" ? "failed" : "ok",
});

/** What a lab manager expects under each filter (written out here, apart from the app's one table). */
const EXPECTED: Record<string, AuditKind[]> = {
  backups: ["export", "snapshot", "restore", "rollback", "clear-archive", "archive-export"],
  offsite: ["push", "drill", "replica-check", "cloud-check"],
  accounts: ["account", "sign-in", "lockout"],
};

const kindsShown = (view: Awaited<ReturnType<typeof historyView>>) => view.rows.map((r) => r.kind).sort();

describe("the History's filter by what happened", () => {
  it("files every kind under exactly one group, and All shows every kind but failed sign-ins and lock-outs", async () => {
    freshDatabase();
    const kinds = Object.keys(AUDIT_KIND_GROUP) as AuditKind[];
    for (const kind of kinds) await recordAudit(entry(kind));

    const shown: string[] = [];
    for (const [group, expected] of Object.entries(EXPECTED)) {
      const view = await historyView(historyQueryFrom({ history: group }).filter, 1);
      expect(kindsShown(view), group).toEqual([...expected].sort());
      expect(view.total, group).toBe(expected.length);
      shown.push(...view.rows.map((r) => r.kind));
    }
    expect(shown.sort()).toEqual([...kinds].sort());

    const all = await historyView("all", 1);
    expect(kindsShown(all)).toEqual(kinds.filter((k) => k !== "sign-in" && k !== "lockout").sort());
    expect(all.total).toBe(kinds.length - 2);
  });

  it("keeps backups and restores findable when account changes and failed sign-ins are most of the History", async () => {
    freshDatabase();
    await recordAudit(entry("restore", "the-last-restorer"));
    for (let i = 0; i < 40; i++) await recordAudit(entry(i % 2 ? "account" : "sign-in", `clicker${i}`));
    const all = await historyView("all", 1);
    expect(all.rows.map((r) => r.kind)).not.toContain("restore");
    const backups = await historyView("backups", 1);
    expect(backups.rows.map((r) => [r.kind, r.actor])).toEqual([["restore", "the-last-restorer"]]);
  });
});

describe("paging back through the History", () => {
  it("shows 20 at a time, newest first, each page going on where the newer one stopped, with its place among them", async () => {
    freshDatabase();
    // 45 backups interleaved with 30 account changes, so the pages must skip the other group's rows.
    for (let i = 0; i < 75; i++) await recordAudit(entry(i % 5 < 3 ? "export" : "account", `user${i}`));
    const pages = await Promise.all([1, 2, 3].map((p) => historyView("backups", p)));
    expect(pages.map(({ page, pages: of, total, first, last }) => ({ page, of, total, first, last }))).toEqual([
      { page: 1, of: 3, total: 45, first: 1, last: 20 },
      { page: 2, of: 3, total: 45, first: 21, last: 40 },
      { page: 3, of: 3, total: 45, first: 41, last: 45 },
    ]);
    const ids = pages.flatMap((p) => p.rows.map((r) => r.id));
    expect(ids).toHaveLength(45);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(pages.flatMap((p) => p.rows.map((r) => r.kind))).toEqual(Array(45).fill("export"));
    expect(pages[0]!.rows[0]!.actor).toBe("user72");
    expect(pages[2]!.rows.at(-1)!.actor).toBe("user0");
    expect(pages.every((p) => !p.pastTheEnd)).toBe(true);
  });

  it("shows the last page for a page past the end, and says it did", async () => {
    freshDatabase();
    for (let i = 0; i < 25; i++) await recordAudit(entry("push", `user${i}`));
    const view = await historyView("offsite", 99);
    expect(view).toMatchObject({ page: 2, pages: 2, total: 25, first: 21, last: 25, pastTheEnd: true });
    expect(view.rows.map((r) => r.actor)).toEqual(["user4", "user3", "user2", "user1", "user0"]);
  });

  it("is one empty page for a filter with nothing in it, at any page asked for", async () => {
    freshDatabase();
    await recordAudit(entry("export"));
    for (const page of [1, 7]) {
      expect(await historyView("accounts", page)).toMatchObject({
        rows: [],
        page: 1,
        pages: 1,
        total: 0,
        first: 0,
        last: 0,
        pastTheEnd: page > 1,
      });
    }
  });
});

describe("the History's query", () => {
  it("reads a group and a page from the address", () => {
    expect(historyQueryFrom({ history: "backups", "history-page": "3" })).toEqual({ filter: "backups", page: 3 });
    expect(historyQueryFrom({})).toEqual({ filter: "all", page: 1 });
  });

  it.each([
    [{ history: "nonsense" }, { filter: "all", page: 1 }],
    [{ history: "restore" }, { filter: "all", page: 1 }],
    [{ history: ["backups", "offsite"] }, { filter: "all", page: 1 }],
    [
      { history: "offsite", "history-page": "0" },
      { filter: "offsite", page: 1 },
    ],
    [
      { history: "offsite", "history-page": "-2" },
      { filter: "offsite", page: 1 },
    ],
    [
      { history: "offsite", "history-page": "2.5" },
      { filter: "offsite", page: 1 },
    ],
    [
      { history: "offsite", "history-page": "two" },
      { filter: "offsite", page: 1 },
    ],
    [
      { history: "offsite", "history-page": "1e9" },
      { filter: "offsite", page: 1 },
    ],
    [
      { history: "offsite", "history-page": ["2", "3"] },
      { filter: "offsite", page: 1 },
    ],
    [{ "history-page": "4" }, { filter: "all", page: 4 }],
  ])("ignores what it cannot use in %j", (query, expected) => {
    expect(historyQueryFrom(query)).toEqual(expected);
  });

  it("links to a filter's page, leaving the first page and All out of the address", () => {
    expect(historyHref("all")).toBe("/admin/storage#history-heading");
    expect(historyHref("all", 2)).toBe("/admin/storage?history-page=2#history-heading");
    expect(historyHref("accounts", 1)).toBe("/admin/storage?history=accounts#history-heading");
    expect(historyHref("backups", 3)).toBe("/admin/storage?history=backups&history-page=3#history-heading");
  });
});
