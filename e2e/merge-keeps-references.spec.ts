import fs from "node:fs";
import path from "node:path";

import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";

import { E2E } from "./support/env";
import { rollBackToNewestSnapshot, signInAsAdmin, uploadForDryRun } from "./support/helpers";

// A real backup the original Django app wrote, merged into the demo data: its people and
// machines hold ids the demo data uses for others (user 1 and 4, machines 4–8).
const ORIGINAL_BACKUP = path.resolve("tests/fixtures/django-real/database_backup_2026-05-20_09-56-51.json");

type FileRecord = { pk: number; fields: Record<string, unknown> };
type Row = Record<string, unknown>;

/** How a referenced record is known to people: a username, a machine's name, an entry's or preset's title and time. */
const KINDS = {
  user: { label: "auth.User", table: "auth_user", name: (r: Row) => `user ${String(r.username)}` },
  machine: {
    label: "calendarEditor.Machine",
    table: "calendarEditor_machine",
    name: (r: Row) => `machine ${String(r.name)}`,
  },
  entry: {
    label: "calendarEditor.QueueEntry",
    table: "calendarEditor_queueentry",
    name: (r: Row) => `entry ${String(r.title)} @ ${Date.parse(String(r.created_at))}`,
  },
  preset: {
    label: "calendarEditor.QueuePreset",
    table: "calendarEditor_queuepreset",
    name: (r: Row) => `preset ${String(r.name)} @ ${Date.parse(String(r.created_at))}`,
  },
} as const;
type Kind = keyof typeof KINDS;

/** The merged tables, how a record of each is recognised, and its references (column → file field, kind). */
const TABLES: { label: string; table: string; signature: string[]; refs: [string, string, Kind][] }[] = [
  { label: "auth.User", table: "auth_user", signature: ["username"], refs: [] },
  {
    label: "userRegistration.UserProfile",
    table: "userRegistration_userprofile",
    signature: ["created_at"],
    refs: [
      ["user_id", "user", "user"],
      ["approved_by_id", "approved_by", "user"],
    ],
  },
  {
    label: "calendarEditor.Machine",
    table: "calendarEditor_machine",
    signature: ["name"],
    refs: [["current_user_id", "current_user", "user"]],
  },
  {
    label: "calendarEditor.QueuePreset",
    table: "calendarEditor_queuepreset",
    signature: ["name", "created_at"],
    refs: [
      ["creator_id", "creator", "user"],
      ["last_edited_by_id", "last_edited_by", "user"],
      ["selected_optical_machine_id", "selected_optical_machine", "machine"],
    ],
  },
  {
    label: "calendarEditor.QueueEntry",
    table: "calendarEditor_queueentry",
    signature: ["title", "created_at"],
    refs: [
      ["user_id", "user", "user"],
      ["assigned_machine_id", "assigned_machine", "machine"],
    ],
  },
  {
    label: "calendarEditor.ArchivedMeasurement",
    table: "calendarEditor_archivedmeasurement",
    signature: ["title", "created_at"],
    refs: [
      ["user_id", "user", "user"],
      ["machine_id", "machine", "machine"],
      ["related_queue_entry_id", "related_queue_entry", "entry"],
    ],
  },
  {
    label: "calendarEditor.NotificationPreference",
    table: "calendarEditor_notificationpreference",
    signature: ["created_at", "updated_at"],
    refs: [["user_id", "user", "user"]],
  },
  {
    label: "calendarEditor.Notification",
    table: "calendarEditor_notification",
    signature: ["title", "message", "created_at"],
    refs: [
      ["recipient_id", "recipient", "user"],
      ["triggering_user_id", "triggering_user", "user"],
      ["related_machine_id", "related_machine", "machine"],
      ["related_queue_entry_id", "related_queue_entry", "entry"],
      ["related_preset_id", "related_preset", "preset"],
    ],
  },
];

const signatureOf = (values: Record<string, unknown>, columns: string[]) =>
  columns.map((c) => (String(c).endsWith("_at") ? Date.parse(String(values[c])) : String(values[c]))).join(" | ");

/** A reference by the name of what it points at, looked up by `find` (in the database, or in the file). */
const nameIn = (find: (kind: Kind, id: unknown) => Row | undefined) => (kind: Kind, id: unknown) => {
  if (id === null || id === undefined) return "none";
  const row = find(kind, id);
  return row ? KINDS[kind].name(row) : `missing ${kind} ${String(id)}`;
};

function ids(db: Database.Database, table: string): Set<number> {
  return new Set(db.prepare(`SELECT id FROM "${table}"`).pluck().all() as number[]);
}

test("merging a real backup into the demo data keeps every merged record with the file's people and machines", async ({
  page,
}, testInfo) => {
  // What a reviewer looks at: the merge's dry run and its confirmation, on a desktop and a phone.
  const look = async (name: string) => {
    for (const width of [1440, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: name === "dry-run" });
    }
    await page.setViewportSize({ width: 1280, height: 720 });
  };
  const file = JSON.parse(fs.readFileSync(ORIGINAL_BACKUP, "utf8")) as { models: Record<string, FileRecord[]> };
  const db = new Database(E2E.databaseFile, { readonly: true });
  const before = new Map(TABLES.map((t) => [t.table, ids(db, t.table)]));
  db.close();

  await signInAsAdmin(page);
  await uploadForDryRun(page, ORIGINAL_BACKUP);
  await page.getByLabel(/^Merge:/).check();
  await page.getByLabel(/^Silent restore/).check();
  const preview = page.getByTestId("merge-preview");
  await expect(preview).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("merge-summary")).toHaveText(/^Adds 926 records \([\d,]+ of them under a new id/);
  await expect(preview.getByTestId("merge-conflicts")).toContainText(
    /User 1 in the file is “qtdtq”, but user 1 here is “[^”]+”/,
  );
  // No replace wording, no lockout box.
  await expect(page.getByTestId("dry-run-summary")).toHaveCount(0);
  await expect(page.getByTestId("dry-run-sign-in")).toHaveCount(0);
  await expect(page.getByText(/Replaces [\d,]+ rows/)).toHaveCount(0);
  // Screen readers hear the merge's dry run, not the replace's.
  await expect(page.getByTestId("restore-announcement")).toHaveText(/^Merge dry run ready for .+\. Adds 926 records/);
  await look("dry-run");
  // The merge's dry run as a screen reader or keyboard meets it: no serious or critical axe findings.
  const axe = await new AxeBuilder({ page }).include("[data-testid=merge-preview]").analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  await page.getByRole("button", { name: "Merge this backup…" }).click();
  const dialog = page.getByRole("dialog", { name: "Add the backup's new records?" });
  await expect(dialog.getByTestId("confirm-summary")).toHaveText(/^Adds 926 records/);
  await expect(dialog.getByTestId("confirm-merge-models")).toContainText("Machines: 5 added (5 under a new id)");
  await look("confirm");
  await dialog.getByLabel("Type RESTORE to confirm").fill("RESTORE");
  await dialog.getByRole("button", { name: "Add new records" }).click();
  const outcome = page.getByTestId("restore-report");
  await expect(outcome.getByRole("heading")).toContainText("Merge complete", { timeout: 60_000 });
  await expect(page.getByTestId("restore-announcement")).toHaveText("Merge complete.");

  // In the database: each merged record is a record of the file, and its people, machines,
  // entries and presets are the ones the file names.
  const after = new Database(E2E.databaseFile, { readonly: true });
  try {
    const named = nameIn(
      (kind, id) => after.prepare(`SELECT * FROM "${KINDS[kind].table}" WHERE id = ?`).get(id) as Row | undefined,
    );
    const fileNamed = nameIn((kind, pk) => file.models[KINDS[kind].label]!.find((r) => r.pk === pk)?.fields);
    let checked = 0;
    for (const { label, table, signature, refs } of TABLES) {
      const fresh = (after.prepare(`SELECT * FROM "${table}"`).all() as Row[]).filter(
        (row) => !before.get(table)!.has(row.id as number),
      );
      const records = file.models[label]!;
      expect(fresh, label).toHaveLength(records.length);
      for (const row of fresh) {
        const candidates = records.filter((r) => signatureOf(r.fields, signature) === signatureOf(row, signature));
        expect(candidates.length, `${label} ${String(row.id)} is a record of the file`).toBeGreaterThan(0);
        const theirs = refs.map(([column, , kind]) => named(kind, row[column]));
        const matches = candidates.some((r) =>
          refs.every(([, field, kind], i) => fileNamed(kind, r.fields[field]) === theirs[i]),
        );
        expect(matches, `${label} ${String(row.id)} refers to ${theirs.join(", ")}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(926);
  } finally {
    after.close();
  }

  // The specs share one server: the merged accounts (the file's superuser among them) would
  // otherwise stay in every later spec's data, and in the safety snapshots they roll back to.
  await rollBackToNewestSnapshot(page);
});
