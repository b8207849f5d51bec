// What the stored and drill routes accept from automation (lib/offsite/http.ts). A store report
// is what makes a copy count as off-site, so a report of nothing (no bytes, no real hash, no
// dated backup, nowhere) must be refused; a drill report's words are bounded.
import { describe, expect, it } from "vitest";

import { drillReport, storedReport } from "@/lib/offsite/http";

const HASH = "0123456789abcdef".repeat(4);
const STORED = { name: "database_backup_2026-12-05_03-00-00.json.gz.age", bytes: 1, sha256: HASH, target: "s3://lab" };

describe("a store report", () => {
  it("is taken for a dated backup with its size, its SHA-256 and where it went", () => {
    expect(storedReport.parse(STORED)).toEqual(STORED);
    expect(storedReport.safeParse({ ...STORED, name: "database_backup_2026-12-05_03-00-00.json" }).success).toBe(true);
    expect(storedReport.safeParse({ ...STORED, target: "x".repeat(300) }).success).toBe(true);
  });

  it("is refused for a name that is not a dated backup's, an empty or fractional size, a hash that is not 64 hex, or no place", () => {
    const refused = (over: Record<string, unknown>) => storedReport.safeParse({ ...STORED, ...over }).success;
    for (const name of ["database_backup_latest.json", "notes.txt", "", `x${STORED.name}`])
      expect(refused({ name }), name).toBe(false);
    for (const bytes of [0, -5, 1.5]) expect(refused({ bytes }), String(bytes)).toBe(false);
    for (const sha256 of [HASH.toUpperCase(), HASH.slice(1), `${HASH}0`, ` ${HASH}`, `${HASH.slice(1)}g`]) {
      expect(refused({ sha256 }), sha256).toBe(false);
    }
    for (const target of ["", "x".repeat(301)]) expect(refused({ target }), `${target.length} characters`).toBe(false);
  });
});

describe("a drill report", () => {
  it("takes a result with an optional backup name and detail, each of bounded length", () => {
    expect(drillReport.parse({ ok: false })).toEqual({ ok: false });
    const full = { ok: true, backup: "b".repeat(300), detail: "d".repeat(2000) };
    expect(drillReport.parse(full)).toEqual(full);
    expect(drillReport.safeParse({ ...full, backup: "b".repeat(301) }).success).toBe(false);
    expect(drillReport.safeParse({ ...full, detail: "d".repeat(2001) }).success).toBe(false);
    expect(drillReport.safeParse({ ok: "yes" }).success).toBe(false);
  });
});
