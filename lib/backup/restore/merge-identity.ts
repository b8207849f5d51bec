// When is a record of a backup "the same record" as one in the database? Derived from the
// schema, not listed per model:
//
//   - a model with unique fields (besides the id) is known by them: a user by username, a
//     machine by name, a profile or a preference by the user it belongs to. Where the database
//     holds that key, under any id, the file's record is already there;
//   - any other model is known at its id by what never changes once a record exists: its
//     required references (a queue entry's user, a notification's recipient) and its creation
//     time (the schema's `@django auto_now_add` fields). Edited since the backup, it is still
//     the same record; elsewhere, only an exact copy counts (one an earlier merge brought in
//     under a new id, so merging the same file twice adds nothing the second time);
//   - a model with none of these is known by all its values.
//
// References are compared by what they point at, after the file's ids are mapped to the
// database's: a preset "created by user 4" in the file and one created by user 4 here are
// not by the same person when user 4 is someone else here.
import { createHash } from "node:crypto";

import type { ColumnSpec, ModelSpec } from "@/lib/backup/format/schema-model";

export interface Identity {
  /** "unique": known by these columns under any id; "at-id": compared at the same id only. */
  kind: "unique" | "at-id";
  columns: ColumnSpec[];
}

const identities = new Map<string, Identity>();

export function identityOf(model: ModelSpec): Identity {
  let identity = identities.get(model.name);
  if (identity) return identity;
  const unique = model.columns.filter((c) => c.unique && !c.isId);
  if (unique.length > 0) identity = { kind: "unique", columns: unique };
  else {
    const lasting = model.columns.filter((c) => (c.references && !c.nullable) || (c.djangoAuto && !c.updatedAt));
    identity = { kind: "at-id", columns: lasting.length > 0 ? lasting : model.columns.filter((c) => !c.isId) };
  }
  identities.set(model.name, identity);
  return identity;
}

/** The columns that hold plain values (no id, no reference), whose digest stands for them. */
export function plainColumns(model: ModelSpec): ColumnSpec[] {
  return model.columns.filter((c) => !c.isId && !c.references);
}

export function referenceColumns(model: ModelSpec): ColumnSpec[] {
  return model.columns.filter((c) => c.references);
}

/** A digest of a row's plain values: equal for the same values read from a file or the database. */
export function plainDigest(values: readonly unknown[]): string {
  return createHash("sha1").update(JSON.stringify(values)).digest("base64");
}
