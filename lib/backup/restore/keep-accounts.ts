// "Keep my account": named accounts survive a restore exactly as they are now, with their
// profile and notification preferences, so restoring an older backup cannot lock the admin
// who runs it out of the console. Runs inside the restore's transaction: the accounts are
// read before the tables are emptied and put back after the file's rows are loaded.
//
// The file's records keep their ids: moving in from the original app, its superuser stays
// id 1 although the installer's account had that id here. A kept account takes the id the
// backup gives the same username (so the backup's references to that person stay theirs),
// else its own id when the backup leaves it free, else a free one. Sessions follow the
// account by username when its id changed (lib/auth/guard.ts).
import { modelByName, type ModelSpec } from "@/lib/backup/format/schema-model";
import { quoteIdentifier as quote, type SqlConnection } from "@/lib/db/sqlite";

type Row = Record<string, unknown>;

export interface KeptAccount {
  username: string;
  user: Row;
  profile: Row | null;
  preference: Row | null;
  /** Presets the preference follows. */
  followed: number[];
}

export class UnknownKeptAccountError extends Error {}

const USER = () => modelByName("User");
const PROFILE = () => modelByName("UserProfile");
const PREFERENCE = () => modelByName("NotificationPreference");

function ownedBy(db: SqlConnection, model: ModelSpec, userId: number): Row | null {
  const column = model.columns.find((c) => c.references === "User" && c.unique)!;
  return (
    (db.prepare(`SELECT * FROM ${quote(model.table)} WHERE ${quote(column.column)} = ?`).get(userId) as Row) ?? null
  );
}

function followedPresets(db: SqlConnection, preferenceId: number): number[] {
  const rel = PREFERENCE().manyToMany[0];
  if (!rel) return [];
  return db
    .prepare(`SELECT ${quote(rel.targetColumn)} FROM ${quote(rel.table)} WHERE ${quote(rel.ownColumn)} = ?`)
    .pluck()
    .all(preferenceId) as number[];
}

/** Reads the accounts to keep from the live tables; call before they are emptied. */
export function readKeptAccounts(db: SqlConnection, usernames: string[]): KeptAccount[] {
  return [...new Set(usernames)].map((username) => {
    const user = db.prepare(`SELECT * FROM ${quote(USER().table)} WHERE username = ?`).get(username) as Row | undefined;
    if (!user) throw new UnknownKeptAccountError(`There is no account named ${JSON.stringify(username)} to keep.`);
    const id = user.id as number;
    const preference = ownedBy(db, PREFERENCE(), id);
    return {
      username,
      user,
      profile: ownedBy(db, PROFILE(), id),
      preference,
      followed: preference ? followedPresets(db, preference.id as number) : [],
    };
  });
}

const nextId = (db: SqlConnection, table: string) =>
  ((db
    .prepare(`SELECT MAX(id) FROM ${quote(table)}`)
    .pluck()
    .get() as number | null) ?? 0) + 1;

function insertRow(db: SqlConnection, table: string, row: Row): void {
  const names = Object.keys(row);
  db.prepare(
    `INSERT INTO ${quote(table)} (${names.map(quote).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`,
  ).run(...names.map((n) => row[n]));
}

/** A kept row's references to users or presets the restored data does not hold become null, as SET NULL would. */
function withoutDanglingReferences(db: SqlConnection, model: ModelSpec, row: Row): Row {
  const copy = { ...row };
  for (const column of model.columns.filter((c) => c.references && c.nullable)) {
    const value = copy[column.column];
    if (value === null || value === undefined) continue;
    const target = modelByName(column.references!);
    const exists = db.prepare(`SELECT 1 FROM ${quote(target.table)} WHERE id = ?`).get(value);
    if (!exists) copy[column.column] = null;
  }
  return copy;
}

/** Replaces whatever the restored data holds for `userId` in a one-per-user table with the kept row. */
function reinstateOwnedRow(db: SqlConnection, model: ModelSpec, userId: number, kept: Row | null): number | null {
  const existing = ownedBy(db, model, userId);
  for (const rel of model.manyToMany) {
    if (existing) db.prepare(`DELETE FROM ${quote(rel.table)} WHERE ${quote(rel.ownColumn)} = ?`).run(existing.id);
  }
  if (existing) db.prepare(`DELETE FROM ${quote(model.table)} WHERE id = ?`).run(existing.id);
  if (!kept) return null;
  const idTaken = db.prepare(`SELECT 1 FROM ${quote(model.table)} WHERE id = ?`).get(kept.id);
  const id = existing ? (existing.id as number) : idTaken ? nextId(db, model.table) : (kept.id as number);
  insertRow(db, model.table, withoutDanglingReferences(db, model, { ...kept, id, [userColumn(model)]: userId }));
  return id;
}

const userColumn = (model: ModelSpec) => model.columns.find((c) => c.references === "User" && c.unique)!.column;

/** Where a kept account goes: the backup's id for the same username, its own id if free, or a free one. */
function idForKept(db: SqlConnection, kept: KeptAccount): { id: number; note: string | null } {
  const table = quote(USER().table);
  const own = kept.user.id as number;
  const sameName = db.prepare(`SELECT id FROM ${table} WHERE username = ?`).pluck().get(kept.username) as
    number | undefined;
  if (sameName !== undefined) {
    return {
      id: sameName,
      note:
        sameName === own
          ? null
          : `it now has id ${sameName}, the backup's id for it, with everything that refers to it there`,
    };
  }
  const atOwn = db.prepare(`SELECT username FROM ${table} WHERE id = ?`).pluck().get(own) as string | undefined;
  if (atOwn === undefined) return { id: own, note: null };
  const free = nextId(db, USER().table);
  return { id: free, note: `it now has id ${free}, because the backup's ${atOwn} keeps id ${own}` };
}

/**
 * Puts the kept accounts back into the freshly loaded tables. Returns one plain sentence per
 * account saying what happened, for the restore's outcome.
 */
export function reinstateKeptAccounts(db: SqlConnection, accounts: KeptAccount[]): string[] {
  const user = USER();
  return accounts.map((kept) => {
    const { id, note } = idForKept(db, kept);
    db.prepare(`DELETE FROM ${quote(user.table)} WHERE id = ?`).run(id);
    insertRow(db, user.table, { ...kept.user, id });
    reinstateOwnedRow(db, PROFILE(), id, kept.profile);
    const preferenceId = reinstateOwnedRow(db, PREFERENCE(), id, kept.preference);
    const rel = PREFERENCE().manyToMany[0];
    if (preferenceId !== null && rel) {
      const link = db.prepare(
        `INSERT INTO ${quote(rel.table)} (${quote(rel.ownColumn)}, ${quote(rel.targetColumn)})
         SELECT ?, id FROM ${quote(modelByName(rel.target).table)} WHERE id = ?`,
      );
      for (const preset of kept.followed) link.run(preferenceId, preset);
    }
    const how = note ? `; ${note}` : "";
    return `Kept ${kept.username} as it was before the restore, with its profile and preferences${how}.`;
  });
}
