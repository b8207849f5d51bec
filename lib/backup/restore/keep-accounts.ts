// "Keep my account": named accounts survive a restore exactly as they are now, with their
// profile and notification preferences, so restoring an older backup cannot lock the admin
// who runs it out of the console. Runs inside the restore's transaction: the accounts are
// read before the tables are emptied and put back after the file's rows are loaded.
//
// A kept account keeps its id (sessions are bound to it). Where the backup uses that id for
// someone else, the backup's account moves to a new id, and every reference to it with it;
// where the backup holds the same username under another id, that record becomes the kept
// account, so the backup's references to that person stay theirs.
import { BACKUP_MODELS, modelByName, type ModelSpec } from "@/lib/backup/format/schema-model";
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

/** Moves a user to another id and every foreign key that points at it (foreign keys are off during the load). */
function renumberUser(db: SqlConnection, from: number, to: number): void {
  for (const model of BACKUP_MODELS) {
    for (const column of model.columns.filter((c) => c.references === "User")) {
      db.prepare(`UPDATE ${quote(model.table)} SET ${quote(column.column)} = ? WHERE ${quote(column.column)} = ?`).run(
        to,
        from,
      );
    }
  }
  db.prepare(`UPDATE ${quote(USER().table)} SET id = ? WHERE id = ?`).run(to, from);
}

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

/**
 * Puts the kept accounts back into the freshly loaded tables. Returns one plain sentence per
 * account saying what happened, for the restore's outcome.
 */
export function reinstateKeptAccounts(db: SqlConnection, accounts: KeptAccount[]): string[] {
  const user = USER();
  return accounts.map((kept) => {
    const id = kept.user.id as number;
    const notes: string[] = [];
    const atId = db.prepare(`SELECT id, username FROM ${quote(user.table)} WHERE id = ?`).get(id) as
      { id: number; username: string } | undefined;
    if (atId && atId.username !== kept.username) {
      const moved = nextId(db, user.table);
      renumberUser(db, id, moved);
      notes.push(`the backup's account ${atId.username} moved from id ${id} to id ${moved} so both are kept`);
    }
    const sameName = db
      .prepare(`SELECT id FROM ${quote(user.table)} WHERE username = ?`)
      .pluck()
      .get(kept.username) as number | undefined;
    if (sameName !== undefined && sameName !== id) {
      renumberUser(db, sameName, id);
      notes.push(`the backup's record of it (id ${sameName}) now has id ${id}, with everything that refers to it`);
    }
    db.prepare(`DELETE FROM ${quote(user.table)} WHERE id = ?`).run(id);
    insertRow(db, user.table, kept.user);
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
    const how = notes.length > 0 ? `; ${notes.join("; ")}` : "";
    return `Kept ${kept.username} as it was before the restore, with its profile and preferences${how}.`;
  });
}
