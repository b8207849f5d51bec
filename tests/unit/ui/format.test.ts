import { describe, expect, it } from "vitest";

import { entityName, fieldInWords, humanModelName } from "@/lib/backup/format/labels";
import { mergeSummary } from "@/lib/backup/restore/merge-plan";
import { formatDateTime } from "@/lib/format";

describe("a time for people", () => {
  it("is written in UTC to the minute, or to the second when asked, whatever the offset it came with", () => {
    expect(formatDateTime(new Date("2026-12-05T02:53:41.250Z"))).toBe("2026-12-05 02:53 UTC");
    expect(formatDateTime("2026-12-05T03:53:41.250+01:00", { to: "second" })).toBe("2026-12-05 02:53:41 UTC");
    expect(formatDateTime("2026-12-05T00:30:00+01:00", { to: "day" })).toBe("2026-12-04");
    expect(formatDateTime("not a date")).toBe("–");
    expect(formatDateTime(null)).toBe("–");
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
