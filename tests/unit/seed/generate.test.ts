import { describe, expect, it } from "vitest";

import { createRecordDecoder } from "@/lib/backup/format/record-schema";
import { BACKUP_MODELS, modelOfRecord } from "@/lib/backup/format/schema-model";
import { expectedCounts, generateDataset } from "@/lib/seed/generate";

describe("demo data generator", () => {
  it("is deterministic for a scale and seed, and differs for another seed", () => {
    const a = JSON.stringify([...generateDataset(300, 7)]);
    expect(JSON.stringify([...generateDataset(300, 7)])).toBe(a);
    expect(JSON.stringify([...generateDataset(300, 8)])).not.toBe(a);
  });

  it("produces the documented proportions, labels in foreign-key order", () => {
    const counts: Record<string, number> = {};
    const order: string[] = [];
    for (const r of generateDataset(1000)) {
      const label = modelOfRecord(r.model)!.label;
      counts[label] = (counts[label] ?? 0) + 1;
      if (order.at(-1) !== label) order.push(label);
    }
    expect(counts).toEqual(expectedCounts(1000));
    expect(counts["calendarEditor.QueueEntry"]).toBe(1000);
    expect(counts["calendarEditor.Notification"]).toBe(2000);
    expect(order).toEqual(BACKUP_MODELS.map((m) => m.label));
  });

  it("yields records that pass the backup validation, with nulls, unicode, JSON and follows", () => {
    const records = [...generateDataset(500)];
    for (const r of records) {
      const result = createRecordDecoder(modelOfRecord(r.model)!).decode(r);
      expect(result.ok, JSON.stringify(result)).toBe(true);
    }
    const text = JSON.stringify(records);
    expect(text).toMatch(/[\u00C0-\uFFFF]/);
    expect(records.some((r) => r.fields.preset_snapshot && typeof r.fields.preset_snapshot === "object")).toBe(true);
    expect(
      records.some(
        (r) => Array.isArray(r.fields.followed_presets) && (r.fields.followed_presets as number[]).length > 0,
      ),
    ).toBe(true);
    expect(records.some((r) => r.fields.assigned_machine === null)).toBe(true);
    expect(records.some((r) => typeof r.fields.description === "string" && r.fields.description.length >= 400)).toBe(
      true,
    );
  });
});
