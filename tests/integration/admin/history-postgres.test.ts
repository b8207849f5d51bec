// The History's filter and pages on PostgreSQL: the same groups, counts and newest-first pages
// as on SQLite (the page's ids are read first, then their rows).
import { expect, it } from "vitest";

import { historyView } from "@/lib/admin/history";
import { recordAudit, type AuditKind } from "@/lib/backup/audit";
import { describeOnPostgres, freshPostgresDatabase } from "@/tests/support/postgres";

const record = (kind: AuditKind, actor: string) =>
  recordAudit({ kind, source: "ui", actor, startedAt: new Date("2026-12-05T06:00:00Z"), result: "ok" });

describeOnPostgres("the History on PostgreSQL", () => {
  it("pages through one group newest first, skipping the other groups' entries, and All leaves out failed sign-ins", async () => {
    await freshPostgresDatabase();
    for (let i = 0; i < 50; i++) await record(i % 5 < 3 ? "restore" : i % 5 < 4 ? "account" : "sign-in", `user${i}`);
    const second = await historyView("backups", 2);
    expect(second).toMatchObject({ page: 2, pages: 2, total: 30, first: 21, last: 30, pastTheEnd: false });
    expect(second.rows.map((r) => r.actor)).toEqual([15, 12, 11, 10, 7, 6, 5, 2, 1, 0].map((i) => `user${i}`));
    const all = await historyView("all", 1);
    expect(all.total).toBe(40);
    expect(all.rows.map((r) => r.kind)).not.toContain("sign-in");
    expect((await historyView("accounts", 9)).total).toBe(20);
  });
});
