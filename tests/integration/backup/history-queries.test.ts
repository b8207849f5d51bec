// The History as Manage Storage reads it: newest first, the downloads a person just made, the
// restore that took a safety snapshot in words, and a History write that fails quietly.
import { afterEach, describe, expect, it, vi } from "vitest";

import {
  downloadsSince,
  recentAudit,
  recordAudit,
  restoreBeforeSnapshot,
  signInTrouble,
  type AuditEntry,
} from "@/lib/backup/audit";
import { seededDatabase } from "@/tests/support/db";

const at = (iso: string) => new Date(iso);
const entry = (overrides: Partial<AuditEntry>): AuditEntry => ({
  kind: "export",
  source: "ui",
  actor: "ada",
  startedAt: at("2026-11-25T06:27:00Z"),
  result: "ok",
  ...overrides,
});

afterEach(() => vi.restoreAllMocks());

describe("the History", () => {
  it("lists the newest first, as many as asked (20 by default)", async () => {
    seededDatabase(5);
    for (let i = 0; i < 22; i++) await recordAudit(entry({ actor: `user${i}` }));
    const recent = await recentAudit();
    expect(recent).toHaveLength(20);
    expect(recent[0]!.actor).toBe("user21");
    expect(recent[19]!.actor).toBe("user2");
    expect((await recentAudit(3)).map((e) => e.actor)).toEqual(["user21", "user20", "user19"]);
  });

  it("keeps at most 4,000 characters of detail, and no detail as an empty text", async () => {
    seededDatabase(5);
    await recordAudit(entry({ detail: "x".repeat(5000) }));
    await recordAudit(entry({}));
    const [plain, long] = await recentAudit(2);
    expect(long!.detail).toHaveLength(4000);
    expect(plain!.detail).toBe("");
  });

  it("logs, and does not throw, when the History cannot be written", async () => {
    seededDatabase(5);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(
      recordAudit(entry({ kind: "nonsense" as AuditEntry["kind"], startedAt: "not a date" as unknown as Date })),
    ).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/^Could not record the nonsense in the audit history: /));
  });

  it("finds the downloads a person made in the browser after a given event, newest first, five at most", async () => {
    seededDatabase(5);
    await recordAudit(entry({ detail: "before" }));
    const [mark] = await recentAudit(1);
    for (let i = 0; i < 6; i++) await recordAudit(entry({ kind: i % 2 ? "snapshot" : "export", detail: `mine ${i}` }));
    await recordAudit(entry({ actor: "bo", detail: "someone else's" }));
    await recordAudit(entry({ source: "api", detail: "automation's" }));
    await recordAudit(entry({ kind: "restore", detail: "not a download" }));
    const found = await downloadsSince(mark!.id, "ada");
    expect(found.map((e) => e.detail)).toEqual(["mine 5", "mine 4", "mine 3", "mine 2", "mine 1"]);
  });
});

describe("the restore a safety snapshot was taken before", () => {
  it("says who restored or rolled back what, and when", async () => {
    seededDatabase(5);
    await recordAudit(
      entry({
        kind: "restore",
        detail: JSON.stringify({ summary: "1,234 records from lab.json", safetySnapshot: "safety_a.sqlite3" }),
      }),
    );
    await recordAudit(
      entry({
        kind: "rollback",
        actor: "bo",
        startedAt: at("2026-11-26T08:05:00Z"),
        detail: JSON.stringify({ summary: "12 records from safety_a.sqlite3", safetySnapshot: "safety_b.sqlite3" }),
      }),
    );
    expect(await restoreBeforeSnapshot("safety_a.sqlite3")).toBe(
      "before ada restored lab.json on 2026-11-25 06:27 UTC",
    );
    expect(await restoreBeforeSnapshot("safety_b.sqlite3")).toBe(
      "before bo rolled back to safety_a.sqlite3 on 2026-11-26 08:05 UTC",
    );
  });

  it("is the newest successful restore or roll back that names the snapshot, or nothing", async () => {
    seededDatabase(5);
    const named = (actor: string, overrides: Partial<AuditEntry> = {}) =>
      recordAudit(
        entry({
          kind: "restore",
          actor,
          detail: JSON.stringify({ summary: "3 records from x.json", safetySnapshot: "safety_c.sqlite3" }),
          ...overrides,
        }),
      );
    await named("older");
    await named("newer");
    await named("failed", { result: "failed" });
    await named("exporter", { kind: "export" });
    expect(await restoreBeforeSnapshot("safety_c.sqlite3")).toBe(
      "before newer restored x.json on 2026-11-25 06:27 UTC",
    );
    expect(await restoreBeforeSnapshot("safety_unknown.sqlite3")).toBeNull();
  });

  it("says 'a backup' when the History's detail cannot be read", async () => {
    seededDatabase(5);
    await recordAudit(entry({ kind: "restore", detail: '{"safetySnapshot":"safety_d.sqlite3"} and a broken end' }));
    expect(await restoreBeforeSnapshot("safety_d.sqlite3")).toBe(
      "before ada restored a backup on 2026-11-25 06:27 UTC",
    );
    await recordAudit(entry({ kind: "restore", detail: JSON.stringify({ safetySnapshot: "safety_e.sqlite3" }) }));
    expect(await restoreBeforeSnapshot("safety_e.sqlite3")).toBe(
      "before ada restored a backup on 2026-11-25 06:27 UTC",
    );
  });
});

describe("failed sign-ins", () => {
  it("keeps failed sign-ins out of the rows, so a guessing attack never pushes a restore out, and sums them up apart", async () => {
    seededDatabase(5);
    await recordAudit(entry({ kind: "restore", actor: "ada", startedAt: at("2026-12-05T06:00:00Z") }));
    await recordAudit(
      entry({ kind: "sign-in", actor: "old", startedAt: at("2026-12-03T06:00:00Z"), result: "failed" }),
    );
    for (let i = 0; i < 30; i++) {
      const actor = i < 20 ? "ada" : i < 27 ? "bo" : `guess${i}`;
      const startedAt = at(`2026-12-05T07:${String(i).padStart(2, "0")}:00Z`);
      await recordAudit(
        entry({
          kind: "sign-in",
          actor,
          startedAt,
          result: "failed",
          detail: "Wrong username or password, from 10.0.0.1.",
        }),
      );
    }
    for (const minutes of [5, 11]) {
      const detail = `Sign-in locked for ${minutes === 5 ? "1 minute" : "2 minutes"} for the username "ada" after ${minutes} failed attempts.`;
      await recordAudit(
        entry({
          kind: "lockout",
          actor: "ada",
          startedAt: at(`2026-12-05T07:${String(minutes).padStart(2, "0")}:00Z`),
          result: "failed",
          detail,
        }),
      );
    }
    await recordAudit(entry({ kind: "export", actor: "bo", startedAt: at("2026-12-05T07:40:00Z") }));

    const rows = await recentAudit();
    expect(rows.map((r) => r.kind)).toEqual(["export", "restore"]);

    const trouble = await signInTrouble(at("2026-12-04T08:00:00Z"), 3);
    expect(trouble).toEqual({
      failures: 30,
      usernames: [
        { username: "ada", failures: 20 },
        { username: "bo", failures: 7 },
        { username: "guess27", failures: 1 },
      ],
      lastFailureAt: at("2026-12-05T07:29:00Z"),
      lockouts: 2,
      latestLockouts: [
        { at: at("2026-12-05T07:11:00Z"), detail: expect.stringContaining("after 11 failed attempts") as string },
        { at: at("2026-12-05T07:05:00Z"), detail: expect.stringContaining("after 5 failed attempts") as string },
      ],
    });
    // Asked for by kind, they are all there.
    expect(await recentAudit(100, ["sign-in"])).toHaveLength(31);
  });
});
