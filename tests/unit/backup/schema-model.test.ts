import fs from "node:fs";

import { describe, expect, it } from "vitest";

import { DJANGO_ONLY_LIST_FIELDS, recordLabel } from "@/lib/backup/format/labels";
import { BACKUP_LABELS, BACKUP_MODELS, foreignKeyOrder, modelByLabel } from "@/lib/backup/format/schema-model";

describe("backup schema model derived from the Prisma schema", () => {
  it("orders models so every foreign key points at an earlier model", () => {
    expect(BACKUP_MODELS.map((m) => m.name)).toEqual([
      "User",
      "UserProfile",
      "Machine",
      "QueuePreset",
      "QueueEntry",
      "ArchivedMeasurement",
      "NotificationPreference",
      "Notification",
    ]);
    const seen = new Set<string>();
    for (const model of BACKUP_MODELS) {
      for (const column of model.columns) if (column.references) expect(seen).toContain(column.references);
      for (const rel of model.manyToMany) expect(seen).toContain(rel.target);
      seen.add(model.name);
    }
  });

  it("finds the same order whatever order the models are listed in", () => {
    const deps = new Map([
      ["C", new Set(["A", "B"])],
      ["B", new Set(["A"])],
      ["A", new Set<string>()],
      ["D", new Set(["D"])],
    ]);
    expect(foreignKeyOrder(["C", "B", "A", "D"], deps)).toEqual(["A", "B", "C", "D"]);
    expect(() =>
      foreignKeyOrder(
        ["X", "Y"],
        new Map([
          ["X", new Set(["Y"])],
          ["Y", new Set(["X"])],
        ]),
      ),
    ).toThrow(/cycle/);
  });

  it("keeps Django's field names: the column name, or the relation's name for a foreign key", () => {
    for (const model of BACKUP_MODELS) {
      for (const c of model.columns) {
        expect(c.references ? `${c.django}_id` : c.django).toBe(c.column);
      }
    }
    const entry = modelByLabel("calendarEditor.QueueEntry")!;
    expect(entry.columns.find((c) => c.field === "assignedMachineId")).toMatchObject({
      django: "assigned_machine",
      references: "Machine",
      nullable: true,
    });
    expect(entry.columns.find((c) => c.field === "requiredBFieldX")).toMatchObject({
      django: "required_b_field_x",
      type: "Float",
    });
  });

  it("maps the followed-presets many-to-many onto NotificationPreference as a pk list", () => {
    expect(modelByLabel("calendarEditor.NotificationPreference")!.manyToMany).toEqual([
      {
        django: "followed_presets",
        table: "_FollowedPresets",
        ownColumn: "A",
        targetColumn: "B",
        target: "QueuePreset",
      },
    ]);
  });

  it("covers exactly the eight Django labels and leaves the audit table out", () => {
    expect(BACKUP_LABELS).toHaveLength(8);
    expect(BACKUP_LABELS).toContain("auth.User");
    expect(BACKUP_MODELS.map((m) => m.name)).not.toContain("BackupEvent");
  });

  it("marks the original's automatic timestamps from the schema's @django comments, and only those", () => {
    const auto = BACKUP_MODELS.flatMap((m) =>
      m.columns.filter((c) => c.djangoAuto).map((c) => `${m.name}.${c.django}`),
    );
    expect(auto).toContain("Notification.created_at");
    expect(auto).toContain("QueuePreset.last_edited_at");
    expect(auto).toContain("QueueEntry.submitted_at");
    expect(auto).toHaveLength(14);
    const filled = BACKUP_MODELS.flatMap((m) =>
      m.columns.filter((c) => c.default.kind === "now" && !c.djangoAuto).map((c) => `${m.name}.${c.django}`),
    );
    expect(filled).toEqual([
      "User.date_joined",
      "ArchivedMeasurement.measurement_date",
      "ArchivedMeasurement.archived_at",
    ]);
  });

  it("carries the choice lists onto choice columns", () => {
    const machine = modelByLabel("calendarEditor.Machine")!;
    expect(machine.columns.find((c) => c.field === "currentStatus")?.choices).toEqual([
      "idle",
      "running",
      "cooldown",
      "maintenance",
    ]);
  });

  it("has every field of the original's latest real backup, by the same names, in the same order", () => {
    const latest = JSON.parse(
      fs.readFileSync("tests/fixtures/django-real/database_backup_2026-05-20_09-56-51.json", "utf8"),
    ) as {
      models: Record<string, { model: string; fields: Record<string, unknown> }[]>;
    };
    expect(Object.keys(latest.models)).toEqual(BACKUP_LABELS);
    for (const model of BACKUP_MODELS) {
      const ours = [
        ...model.columns.filter((c) => !c.isId).map((c) => c.django),
        ...model.manyToMany.map((m) => m.django),
        ...(DJANGO_ONLY_LIST_FIELDS[model.label] ?? []),
      ];
      const record = latest.models[model.label]![0]!;
      expect(ours, model.label).toEqual(Object.keys(record.fields));
      expect(record.model).toBe(recordLabel(model.label));
    }
  });
});
