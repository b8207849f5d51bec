import { describe, expect, it } from "vitest";

import { entityName, fieldInWords, humanModelName } from "@/lib/backup/format/labels";
import { mergeSummary } from "@/lib/backup/restore/merge-plan";
import { ageInWords, formatDateTime } from "@/lib/format";

describe("a time for people", () => {
  it("is written in UTC to the minute, or to the second when asked, whatever the offset it came with", () => {
    expect(formatDateTime(new Date("2026-12-05T02:53:41.250Z"))).toBe("2026-12-05 02:53 UTC");
    expect(formatDateTime("2026-12-05T03:53:41.250+01:00", { to: "second" })).toBe("2026-12-05 02:53:41 UTC");
    expect(formatDateTime("2026-12-05T00:30:00+01:00", { to: "day" })).toBe("2026-12-04");
    expect(formatDateTime("not a date")).toBe("–");
    expect(formatDateTime(null)).toBe("–");
  });
});

describe("an age in words", () => {
  const now = new Date("2026-12-05T12:00:00Z");
  const ago = (seconds: number) => ageInWords(new Date(now.getTime() - seconds * 1000), now);
  const DAY = 86_400;

  it("counts minutes, then hours, then days up to two months", () => {
    expect(ago(30)).toBe("just now");
    expect(ago(89)).toBe("just now");
    expect(ago(90)).toBe("2 minutes ago");
    expect(ago(45 * 60)).toBe("45 minutes ago");
    expect(ago(3 * 3600)).toBe("3 hours ago");
    expect(ago(12 * DAY)).toBe("12 days ago");
    expect(ago(59 * DAY)).toBe("59 days ago");
  });

  it("then months up to two years, then years: the exact date is always beside it", () => {
    expect(ago(60 * DAY)).toBe("2 months ago");
    expect(ago(374 * DAY)).toBe("12 months ago");
    expect(ago(729 * DAY)).toBe("24 months ago");
    expect(ago(730 * DAY)).toBe("2 years ago");
    expect(ago(1954 * DAY)).toBe("5 years ago");
  });

  it("says so for a date in the future or none at all", () => {
    expect(ageInWords(new Date(now.getTime() + 60_000), now)).toBe("in the future");
    expect(ageInWords("not a date", now)).toBe("at an unknown time");
  });
});

describe("an entity's one name", () => {
  it("is the plural in words, from its Prisma name or its backup label", () => {
    expect(entityName("QueueEntry")).toBe("Queue entries");
    expect(humanModelName("userRegistration.UserProfile")).toBe("User profiles");
    expect(humanModelName("calendarEditor.NotificationPreference")).toBe("Notification preferences");
    expect(fieldInWords("userRegistration.UserProfile", "phone_number")).toBe("User profiles, phone number");
  });

  it("leaves a label this app does not know as it is", () => {
    expect(humanModelName("someApp.Thing")).toBe("someApp.Thing");
  });
});

describe("a merge in one sentence", () => {
  const models = [
    { added: 10, conflicts: 2, present: 5, linked: 0, linkNoun: "link" },
    { added: 1, conflicts: 0, present: 0, linked: 3, linkNoun: "followed preset" },
  ];

  it("says before a merge what it adds and what is already here", () => {
    expect(mergeSummary(models)).toBe(
      "Adds 13 records (2 of them under a new id, because their id belongs to a different record here); nothing that exists changes. 5 records are already here and stay as they are. Records already here gain the file's links they lack (3 followed presets); links they have stay.",
    );
  });

  it("says after a merge, for the History, what it merged from which file", () => {
    expect(mergeSummary(models, "lab.json")).toBe(
      "Merged 13 of 18 records from lab.json (2 under a new id; 5 already here; added to records already here: 3 followed presets)",
    );
  });
});
