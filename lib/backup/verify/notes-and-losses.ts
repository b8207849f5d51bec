// Notes and losses: what a file holds that this app loads differently (notes, which only
// inform: values outside a field's choices, converted types, defaults for missing fields,
// fields this app lacks that are empty everywhere) or cannot keep at all (losses, which a
// restore needs accepted: such a field with values, a model the original app failed to export).
import { LEGACY_DJANGO_FORMAT_VERSION } from "@/lib/backup/format/format";
import { fieldInWords, humanModelName } from "@/lib/backup/format/labels";
import type { DecodeNotes } from "@/lib/backup/format/record-schema";
import type { Problems } from "@/lib/backup/verify/problems";
import type { BackupLoss, BackupNote } from "@/lib/backup/verify/report";
import { formatCount, plural } from "@/lib/format";

type NoteCount = Omit<BackupNote, "text"> & { example: string; category: string };

export class NotesAndLosses {
  private readonly noteCounts = new Map<string, NoteCount>();
  private readonly unknownFields = new Map<string, Map<string, { count: number; values: number }>>();
  private readonly modelErrors = new Map<string, string>();

  /** What the decoder of `label`'s records tells, counted per field and kind. */
  notesFor(label: string): DecodeNotes {
    return {
      note: (field, kind, category, example) => {
        const key = `${label}\u0000${field}\u0000${kind}\u0000${category}`;
        const entry = this.noteCounts.get(key);
        if (entry) entry.count++;
        else this.noteCounts.set(key, { label, field, kind, category, example, count: 1 });
      },
      unknownField: (field, value) => {
        const perLabel = this.unknownFields.get(label) ?? new Map<string, { count: number; values: number }>();
        this.unknownFields.set(label, perLabel);
        const entry = perLabel.get(field) ?? { count: 0, values: 0 };
        perLabel.set(field, entry);
        entry.count++;
        if (!isEmptyValue(value)) entry.values++;
      },
    };
  }

  /** A model written as `{ "error": … }`: the exporter could not read it. */
  modelError(label: string, error: string): void {
    this.modelErrors.set(label, error);
  }

  /**
   * A model the original app failed to export: the file holds none of its records. In the
   * original's files that is a loss to accept; in ours, whose integrity block marks the file
   * incomplete, it refuses the file.
   */
  modelErrorLosses(formatVersion: number | null, problems: Problems): BackupLoss[] {
    const losses: BackupLoss[] = [];
    for (const [label, error] of this.modelErrors) {
      if (formatVersion === LEGACY_DJANGO_FORMAT_VERSION) {
        losses.push({
          label,
          field: null,
          values: 0,
          text: `${humanModelName(label)} (${label}): the original app could not export them (${error}); the file holds none of its records, so that table would be emptied.`,
        });
      } else {
        problems.file(`"${label}" failed to export (${error}); the file is incomplete.`);
      }
    }
    return losses;
  }

  /** The notes, and the losses of fields this app does not have (a field empty everywhere is only a note). */
  fieldFindings(): { notes: BackupNote[]; losses: BackupLoss[] } {
    const notes = [...this.noteCounts.values()].map(noteWithText);
    const losses: BackupLoss[] = [];
    for (const [label, fields] of this.unknownFields) {
      for (const [field, { count, values }] of fields) {
        if (values > 0) {
          losses.push({
            label,
            field,
            values,
            text: `${whereInWords(label, field)}: a field this app does not have, with ${formatCount(values)} non-empty ${plural(values, "value")}; they would be lost.`,
          });
        } else {
          notes.push({
            label,
            field,
            kind: "ignored",
            count,
            text: `${whereInWords(label, field)}: a field this app does not have, empty in all ${formatCount(count)} ${plural(count, "record")}; ignored, so nothing is lost.`,
          });
        }
      }
    }
    return { notes, losses };
  }
}

function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

/** "User profiles, phone number (userRegistration.UserProfile.phone_number)": people's words first. */
function whereInWords(label: string, field: string): string {
  return `${fieldInWords(label, field)} (${label}.${field})`;
}

/** The decoder's type names ("boolean → text") in words. */
const TYPE_WORDS: Record<string, string> = {
  boolean: "a true/false value",
  number: "a number",
  text: "text",
  null: "an empty value (null)",
};
const typeWords = (type: string) => TYPE_WORDS[type] ?? type;

function noteWithText(note: NoteCount): BackupNote {
  const { label, field, kind, count, example, category } = note;
  const where = whereInWords(label, field);
  const times = `${formatCount(count)} ${plural(count, "record")}`;
  const [from = "", to = ""] = category.split(" → ");
  const text =
    kind === "outside-choices"
      ? `${where}: ${times} ${plural(count, "holds", "hold")} ${example}, which is not one of the field's choices; loaded unchanged, as the original app does, so nothing is lost.`
      : kind === "converted"
        ? `${where}: ${times} ${plural(count, "holds", "hold")} ${typeWords(from)} where ${typeWords(to)} belongs; kept as the original app keeps it (${example}), so nothing is lost.`
        : `${where}: missing from ${times} (an older file); filled in with the default, ${example}. Nothing is lost.`;
  return { label, field, kind, count, text };
}
