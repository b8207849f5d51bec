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
//
// Written once for both engines, in their common SQL (write-types.ts: SqlRunner), inside the
// restore's transaction on either.
import { modelByName, type ModelSpec } from "@/lib/backup/format/schema-model";
import type { SqlRunner, WriteValue } from "@/lib/db/engine/write-types";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";

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

async function ownedBy(db: SqlRunner, model: ModelSpec, userId: number): Promise<Row | null> {
  const column = model.columns.find((c) => c.references === "User" && c.unique)!;
  return (await db.get<Row>(`SELECT * FROM ${quote(model.table)} WHERE ${quote(column.column)} = ?`, [userId])) ?? null;
}

async function followedPresets(db: SqlRunner, preferenceId: number): Promise<number[]> {
  const rel = PREFERENCE().manyToMany[0];
  if (!rel) return [];
  const rows = await db.all<{ target: number }>(
    `SELECT ${quote(rel.targetColumn)} AS target FROM ${quote(rel.table)} WHERE ${quote(rel.ownColumn)} = ?`,
    [preferenceId],
  );
  return rows.map((r) => r.target);
}

/** Reads the accounts to keep from the live tables; call before they are emptied. */
export async function readKeptAccounts(db: SqlRunner, usernames: string[]): Promise<KeptAccount[]> {
  const accounts: KeptAccount[] = [];
  for (const username of new Set(usernames)) {
    const user = await db.get<Row>(`SELECT * FROM ${quote(USER().table)} WHERE username = ?`, [username]);
    if (!user) throw new UnknownKeptAccountError(`There is no account named ${JSON.stringify(username)} to keep.`);
    const id = user.id as number;
    const preference = await ownedBy(db, PREFERENCE(), id);
    accounts.push({
      username,
      user,
      profile: await ownedBy(db, PROFILE(), id),
      preference,
      followed: preference ? await followedPresets(db, preference.id as number) : [],
    });
  }
  return accounts;
}

const nextId = async (db: SqlRunner, table: string) =>
  ((await db.get<{ id: number | null }>(`SELECT MAX(id) AS id FROM ${quote(table)}`))?.id ?? 0) + 1;

async function insertRow(db: SqlRunner, table: string, row: Row): Promise<void> {
  const names = Object.keys(row);
  await db.run(
    `INSERT INTO ${quote(table)} (${names.map(quote).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`,
    names.map((n) => row[n] as WriteValue),
  );
}

/** A kept row's references to users or presets the restored data does not hold become null, as SET NULL would. */
async function withoutDanglingReferences(db: SqlRunner, model: ModelSpec, row: Row): Promise<Row> {
  const copy = { ...row };
  for (const column of model.columns.filter((c) => c.references && c.nullable)) {
    const value = copy[column.column];
    if (value === null || value === undefined) continue;
    const target = modelByName(column.references!);
    const exists = await db.get(`SELECT 1 AS found FROM ${quote(target.table)} WHERE id = ?`, [value as WriteValue]);
    if (!exists) copy[column.column] = null;
  }
  return copy;
}

/** Replaces whatever the restored data holds for `userId` in a one-per-user table with the kept row. */
async function reinstateOwnedRow(
  db: SqlRunner,
  model: ModelSpec,
  userId: number,
  kept: Row | null,
): Promise<number | null> {
  const existing = await ownedBy(db, model, userId);
  const existingId = existing?.id as number | undefined;
  for (const rel of model.manyToMany) {
    if (existing) await db.run(`DELETE FROM ${quote(rel.table)} WHERE ${quote(rel.ownColumn)} = ?`, [existingId!]);
  }
  if (existing) await db.run(`DELETE FROM ${quote(model.table)} WHERE id = ?`, [existingId!]);
  if (!kept) return null;
  const idTaken = await db.get(`SELECT 1 AS taken FROM ${quote(model.table)} WHERE id = ?`, [kept.id as number]);
  const id = existing ? existingId! : idTaken ? await nextId(db, model.table) : (kept.id as number);
  const row = await withoutDanglingReferences(db, model, { ...kept, id, [userColumn(model)]: userId });
  await insertRow(db, model.table, row);
  return id;
}

const userColumn = (model: ModelSpec) => model.columns.find((c) => c.references === "User" && c.unique)!.column;

/** Where a kept account goes: the backup's id for the same username, its own id if free, or a free one. */
async function idForKept(db: SqlRunner, kept: KeptAccount): Promise<{ id: number; note: string | null }> {
  const table = quote(USER().table);
  const own = kept.user.id as number;
  const sameName = (await db.get<{ id: number }>(`SELECT id FROM ${table} WHERE username = ?`, [kept.username]))?.id;
  if (sameName !== undefined) {
    return {
      id: sameName,
      note:
        sameName === own
          ? null
          : `it now has id ${sameName}, the backup's id for it, with everything that refers to it there`,
    };
  }
  const atOwn = (await db.get<{ username: string }>(`SELECT username FROM ${table} WHERE id = ?`, [own]))?.username;
  if (atOwn === undefined) return { id: own, note: null };
  const free = await nextId(db, USER().table);
  return { id: free, note: `it now has id ${free}, because the backup's ${atOwn} keeps id ${own}` };
}

/**
 * Puts the kept accounts back into the freshly loaded tables. Returns one plain sentence per
 * account saying what happened, for the restore's outcome.
 */
export async function reinstateKeptAccounts(db: SqlRunner, accounts: KeptAccount[]): Promise<string[]> {
  const user = USER();
  const said: string[] = [];
  for (const kept of accounts) {
    const { id, note } = await idForKept(db, kept);
    await db.run(`DELETE FROM ${quote(user.table)} WHERE id = ?`, [id]);
    await insertRow(db, user.table, { ...kept.user, id });
    await reinstateOwnedRow(db, PROFILE(), id, kept.profile);
    const preferenceId = await reinstateOwnedRow(db, PREFERENCE(), id, kept.preference);
    const rel = PREFERENCE().manyToMany[0];
    if (preferenceId !== null && rel) {
      // CAST: PostgreSQL cannot tell a bare parameter's type in a SELECT list.
      const link = `INSERT INTO ${quote(rel.table)} (${quote(rel.ownColumn)}, ${quote(rel.targetColumn)})
         SELECT CAST(? AS INTEGER), id FROM ${quote(modelByName(rel.target).table)} WHERE id = ?`;
      for (const preset of kept.followed) await db.run(link, [preferenceId, preset]);
    }
    const how = note ? `; ${note}` : "";
    said.push(`Kept ${kept.username} as it was before the restore, with its profile and preferences${how}.`);
  }
  return said;
}
