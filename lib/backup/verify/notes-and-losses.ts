// Notes and losses: what a file holds that this app loads differently (notes, which only
// inform: values outside a field's choices, converted types, defaults for missing fields,
// fields this app lacks that are empty everywhere) or cannot keep at all (losses, which a
// restore needs accepted: such a field with values, a model the original app failed to export).
import { LEGACY_DJANGO_FORMAT_VERSION } from "@/lib/backup/format/format";
import { fieldInWords, humanModelName, modelNoun } from "@/lib/backup/format/labels";
import type { DecodedRecord, DecodeNotes } from "@/lib/backup/format/record-schema";
import { modelByLabel, modelByName, type ModelSpec } from "@/lib/backup/format/schema-model";
import type { Problems } from "@/lib/backup/verify/problems";
import type { BackupLoss, BackupNote } from "@/lib/backup/verify/report";
import { formatCount, plural } from "@/lib/format";

type NoteCount = Omit<BackupNote, "text"> & { example: string; category: string; who: Concerned };
type UnknownField = { count: number; values: number; who: Concerned };

export class NotesAndLosses {
  private readonly noteCounts = new Map<string, NoteCount>();
  private readonly unknownFields = new Map<string, Map<string, UnknownField>>();
  private readonly modelErrors = new Map<string, string>();
  /** Usernames by the file's user pk (users come first in a backup), to name whom a note concerns. */
  private readonly usernames = new Map<number, string>();
  /** What the record being decoded was noted for; named once it is read (recordRead). */
  private pending: Concerned[] = [];
  /** Records read per label: a note about every one of them names none. */
  private readonly read = new Map<string, number>();

  /** What the decoder of `label`'s records tells, counted per field and kind. */
  notesFor(label: string): DecodeNotes {
    return {
      note: (field, kind, category, example) => {
        const key = `${label}\u0000${field}\u0000${kind}\u0000${category}`;
        let entry = this.noteCounts.get(key);
        if (entry) entry.count++;
        else
          this.noteCounts.set(key, (entry = { label, field, kind, category, example, count: 1, who: new Concerned() }));
        this.pending.push(entry.who);
      },
      unknownField: (field, value) => {
        const perLabel = this.unknownFields.get(label) ?? new Map<string, UnknownField>();
        this.unknownFields.set(label, perLabel);
        const entry = perLabel.get(field) ?? { count: 0, values: 0, who: new Concerned() };
        perLabel.set(field, entry);
        entry.count++;
        if (!isEmptyValue(value)) {
          entry.values++;
          this.pending.push(entry.who);
        }
      },
    };
  }

  /** A record was read (null: it was refused): the notes it caused learn whom it concerns. */
  recordRead(model: ModelSpec, record: DecodedRecord | null): void {
    if (record && model.name === "User") this.usernames.set(record.pk, String(record.params[usernameAt()]));
    if (record) {
      this.read.set(model.label, (this.read.get(model.label) ?? 0) + 1);
      for (const who of this.pending) who.add(this.whoIs(model, record));
    }
    this.pending = [];
  }

  /** An account's username, the username of the account a record belongs to, or the record in words. */
  private whoIs(model: ModelSpec, record: DecodedRecord): { name: string; account: boolean } {
    if (model.name === "User") return { name: String(record.params[usernameAt()]), account: true };
    const owner = model.columns.findIndex((c) => c.references === "User");
    const ownerPk = owner >= 0 ? record.params[owner] : null;
    if (typeof ownerPk === "number") return { name: this.usernames.get(ownerPk) ?? `user ${ownerPk}`, account: true };
    const named = model.columns.findIndex((c) => c.django === "name");
    const { one } = modelNoun(model.name);
    const name = named >= 0 ? `${one} “${String(record.params[named])}”` : `${one} ${record.pk}`;
    return { name, account: false };
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
    const notes = [...this.noteCounts.values()].map((n) => noteWithText(n, this.read.get(n.label) ?? 0));
    const losses: BackupLoss[] = [];
    for (const [label, fields] of this.unknownFields) {
      for (const [field, { count, values, who }] of fields) {
        if (values > 0) {
          losses.push({
            label,
            field,
            values,
            text: `${whereInWords(label, field)}: a field this app does not have, with ${formatCount(values)} non-empty ${plural(values, "value")}; they would be lost.${who.sentence(values === this.read.get(label) ? label : null)}`,
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

/** Whom a note concerns: the accounts (or other records) it was seen in, the first few named. */
class Concerned {
  private static readonly NAMED = 5;
  private readonly names = new Set<string>();
  private more = 0;
  private onlyAccounts = true;

  add({ name, account }: { name: string; account: boolean }): void {
    if (this.names.has(name)) return;
    this.onlyAccounts &&= account;
    if (this.names.size < Concerned.NAMED) this.names.add(name);
    else this.more++;
  }

  /**
   * " Accounts concerned: alice, bob and 3 more.", or nothing when no record was named;
   * `everyOf`: the label of a model whose every record is concerned, said so instead.
   */
  sentence(everyOf: string | null = null): string {
    if (this.names.size === 0) return "";
    if (everyOf) return ` Concerns every ${modelNoun(modelByLabel(everyOf)!.name).one} in the file.`;
    const names = [...this.names];
    const list =
      this.more > 0
        ? `${names.join(", ")} and ${formatCount(this.more)} more`
        : names.length > 1
          ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`
          : names[0];
    return ` ${this.onlyAccounts ? "Accounts" : "Records"} concerned: ${list}.`;
  }
}

const usernameAt = () => modelByName("User").columns.findIndex((c) => c.django === "username");

/** `read`: how many records of the note's model were read, to say "every" rather than name them all. */
function noteWithText(note: NoteCount, read: number): BackupNote {
  const { label, field, kind, count, example, category, who } = note;
  const where = whereInWords(label, field);
  const times = `${formatCount(count)} ${plural(count, "record")}`;
  const [from = "", to = ""] = category.split(" → ");
  const text =
    kind === "outside-choices"
      ? `${where}: ${times} ${plural(count, "holds", "hold")} ${example}, which is not one of the field's choices; loaded unchanged, as the original app does, so nothing is lost.`
      : kind === "converted"
        ? `${where}: ${times} ${plural(count, "holds", "hold")} ${typeWords(from)} where ${typeWords(to)} belongs; kept as the original app keeps it (${example}), so nothing is lost.`
        : `${where}: missing from ${times} (an older file); filled in with the default, ${example}. Nothing is lost.`;
  return { label, field, kind, count, text: `${text}${who.sentence(count === read ? label : null)}` };
}
