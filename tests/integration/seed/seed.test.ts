import { describe, expect, it } from "vitest";

import { withSqlite } from "@/lib/db/sqlite";
import { expectedCounts } from "@/lib/seed/generate";
import { seededDatabase, tableCounts } from "@/tests/support/db";

describe("seeding a real SQLite database", () => {
  it("loads every entity with the expected counts and intact foreign keys", () => {
    const file = seededDatabase(400);
    expect(tableCounts(file)).toEqual(expectedCounts(400));
    withSqlite((db) => {
      expect(db.pragma("foreign_key_check")).toEqual([]);
      expect(db.prepare('SELECT COUNT(*) FROM "_FollowedPresets"').pluck().get()).toBeGreaterThan(0);
      const seq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'calendarEditor_queueentry'").pluck().get();
      expect(seq).toBe(400);
    }, file);
  });
});
