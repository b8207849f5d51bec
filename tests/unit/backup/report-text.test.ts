// What `db:verify` and `db:restore` print about a file: every line of the report in words.
import { describe, expect, it } from "vitest";

import { LEGACY_DJANGO_FORMAT_VERSION } from "@/lib/backup/format/format";
import { reportLines } from "@/lib/backup/format/report-text";
import type { BackupReport } from "@/lib/backup/verify/verify";

function report(overrides: Partial<BackupReport> = {}): BackupReport {
  return {
    ok: true,
    kind: "json.gz",
    fileBytes: 3 * 1024 * 1024,
    exportDate: "2026-11-30T23:00:00Z",
    madeFrom: "export",
    formatVersion: 1,
    upgradedFrom: null,
    schemaVersion: "20261125090000_original_schema",
    app: "lab-queue-admin 0.1.0",
    djangoVersion: null,
    counts: { "auth.User": 1234, "calendarEditor.Machine": 12 },
    declaredCounts: null,
    digest: "verified",
    complete: true,
    problems: [],
    warnings: [],
    notes: [],
    losses: [],
    accounts: [],
    fileSha256: null,
    ...overrides,
  };
}

describe("the printed report", () => {
  it("gives the source, export, format, schema, maker and digest, then the counts, then the verdict", () => {
    expect(reportLines(report())).toEqual([
      "Source:          json.gz · 3.0 MiB",
      "Exported:        2026-11-30T23:00:00Z",
      "Format version:  1",
      "Schema version:  20261125090000_original_schema",
      "Made by:         lab-queue-admin 0.1.0",
      "Digest:          verified",
      "",
      `${"Records".padEnd(26)} ${"in file".padStart(10)}  in the file as`,
      `${"Users".padEnd(26)} ${"1,234".padStart(10)}  auth.User`,
      `${"Machines".padEnd(26)} ${"12".padStart(10)}  calendarEditor.Machine`,
      "",
      "OK: the backup is whole and restorable.",
    ]);
  });

  it("adds the database's own counts beside the file's when given", () => {
    const lines = reportLines(report(), { "auth.User": 1300 });
    expect(lines[7]).toBe(`${"Records".padEnd(26)} ${"in file".padStart(10)} ${"now".padStart(10)}  in the file as`);
    expect(lines[8]).toBe(`${"Users".padEnd(26)} ${"1,234".padStart(10)} ${"1,300".padStart(10)}  auth.User`);
    expect(lines[9]).toBe(`${"Machines".padEnd(26)} ${"12".padStart(10)} ${"0".padStart(10)}  calendarEditor.Machine`);
  });

  it("says what it could not read, and names the original app's files and their Django version", () => {
    const unreadable = reportLines(
      report({ kind: null, exportDate: null, formatVersion: null, schemaVersion: null, app: null, ok: false }),
    );
    expect(unreadable.slice(0, 5)).toEqual([
      "Source:          unreadable · 3.0 MiB",
      "Exported:        –",
      "Format version:  –",
      "Schema version:  –",
      "Made by:         –",
    ]);
    const original = reportLines(
      report({ formatVersion: LEGACY_DJANGO_FORMAT_VERSION, app: null, djangoVersion: "4.2.11", digest: "absent" }),
    );
    expect(original[2]).toBe("Format version:  0 (the original Django app's file, read with Django's rules)");
    expect(original[4]).toBe("Made by:         Django 4.2.11");
    expect(original[5]).toBe("Digest:          absent");
  });

  it("lists warnings, notes, losses and problems under their headings, only when there are any", () => {
    const lines = reportLines(
      report({
        ok: false,
        warnings: ["An old file."],
        notes: [{ label: "auth.User", field: "email", kind: "default", count: 2, text: "Two defaults." }],
        losses: [{ label: "auth.User", field: "nickname", values: 1, text: "A nickname would be lost." }],
        problems: ["A broken record.", "Another."],
      }),
    );
    expect(lines.slice(lines.indexOf("Warnings:"))).toEqual([
      "Warnings:",
      "  - An old file.",
      "",
      "Notes (loaded as Django's own loader loads them):",
      "  - Two defaults.",
      "",
      "Data this app cannot keep (a restore needs --accept-loss):",
      "  - A nickname would be lost.",
      "",
      "Problems:",
      "  - A broken record.",
      "  - Another.",
      "",
      "NOT RESTORABLE: see the problems above.",
    ]);
    expect(reportLines(report()).some((l) => /Warnings:|Notes|Problems:|cannot keep/.test(l))).toBe(false);
  });

  it("says a file with losses restores only when they are accepted", () => {
    const lines = reportLines(report({ losses: [{ label: "auth.User", field: null, values: 0, text: "All users." }] }));
    expect(lines.at(-1)).toBe("RESTORABLE ONLY WITH --accept-loss: the data listed above would be lost.");
  });
});
