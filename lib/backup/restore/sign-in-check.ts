// Who can sign in after a restore: a restore that drops the acting admin, or leaves no
// active staff account with a usable password, locks the lab out of its own console.
// The dry run shows this check, naming who can sign in and in what role; the browser refuses
// such a restore unless the admin keeps their account (see keep-accounts.ts) or proves they
// can sign in as one of the file's staff accounts (its password checked against the file's hash).
import type { DecodedRecord } from "@/lib/backup/format/record-schema";
import { modelByName } from "@/lib/backup/format/schema-model";
import type { WriteSession } from "@/lib/db/engine/write-types";
import { isCheckablePassword } from "@/lib/db/password-hash";
import { quoteIdentifier as quote } from "@/lib/db/quote-identifier";
import { type SqlConnection } from "@/lib/db/sqlite";

/** An account as a backup file holds it: what decides whether it can sign in. */
export interface FileAccount {
  pk: number;
  username: string;
  password: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
}

/** Someone who can sign in after the restore, and as what. */
export interface SignInAccount {
  username: string;
  /** "superuser" and "staff" open this console; "active" is any other account that can sign in. */
  role: "superuser" | "staff" | "active";
  /** An account kept as it is now, rather than the file's. */
  kept: boolean;
}

/** Researchers named at most in a dry run; the rest are counted. */
const RESEARCHERS_NAMED = 50;

export interface SignInCheck {
  /** The signed-in admin's account compared with the file's; null when no one is acting (CLI). */
  actor: { username: string; status: "same" | "missing" | "differs"; differences: string[] } | null;
  /** Active staff or superusers in the file whose password is usable. */
  staffWhoCanSignIn: number;
  /** By name: every staff member and superuser who can sign in, then the first researchers who can. */
  whoCanSignIn: SignInAccount[];
  /** Active researchers with a usable password, all of them (some may not be named above). */
  researchersWhoCanSignIn: number;
  /** Plain sentences, one per reason someone would be locked out. */
  warnings: string[];
  /** True when restoring as is would sign the actor out for good or leave no staff able to sign in. */
  locksOut: boolean;
}

const canSignIn = (a: Pick<FileAccount, "password" | "isActive">) => a.isActive && isCheckablePassword(a.password);

export const canSignInAsStaff = (a: Pick<FileAccount, "password" | "isActive" | "isStaff" | "isSuperuser">) =>
  canSignIn(a) && (a.isStaff || a.isSuperuser);

const roleOf = (a: FileAccount): SignInAccount["role"] =>
  a.isSuperuser ? "superuser" : a.isStaff ? "staff" : "active";
const ROLE_ORDER: SignInAccount["role"][] = ["superuser", "staff", "active"];

/** Everyone who can sign in afterwards: superusers, then staff, then researchers (the first few), by name. */
function whoCanSignIn(accounts: FileAccount[], kept: FileAccount[]) {
  const keptNames = new Set(kept.map((k) => k.username));
  const all = [
    ...kept.map((a) => ({ account: a, kept: true })),
    ...accounts.filter((a) => !keptNames.has(a.username)).map((a) => ({ account: a, kept: false })),
  ].filter(({ account }) => canSignIn(account));
  const listed = all
    .map(({ account, kept }) => ({ username: account.username, role: roleOf(account), kept }))
    .sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.username.localeCompare(b.username));
  const staff = listed.filter((a) => a.role !== "active");
  const researchers = listed.filter((a) => a.role === "active");
  return {
    whoCanSignIn: [...staff, ...researchers.slice(0, RESEARCHERS_NAMED)],
    researchersWhoCanSignIn: researchers.length,
  };
}

/** Reads a decoded User record's sign-in fields (by column position, derived once). */
export function accountReader(): (record: DecodedRecord) => FileAccount {
  const columns = modelByName("User").columns.map((c) => c.django);
  const at = (name: string) => columns.indexOf(name);
  const [username, password, active, staff, superuser] = [
    "username",
    "password",
    "is_active",
    "is_staff",
    "is_superuser",
  ].map(at);
  return ({ pk, params }) => ({
    pk,
    username: params[username!] as string,
    password: params[password!] as string,
    isActive: params[active!] === 1,
    isStaff: params[staff!] === 1,
    isSuperuser: params[superuser!] === 1,
  });
}

interface LiveAccountRow {
  id: number;
  username: string;
  password: string;
  is_active: number;
  is_staff: number;
  is_superuser: number;
}

const liveAccountSql = () =>
  `SELECT id, username, password, is_active, is_staff, is_superuser FROM ${quote(modelByName("User").table)} WHERE username = ?`;

function fromLiveRow(row: LiveAccountRow | undefined): FileAccount | null {
  if (!row) return null;
  return {
    pk: row.id,
    username: row.username,
    password: row.password,
    isActive: row.is_active === 1,
    isStaff: row.is_staff === 1,
    isSuperuser: row.is_superuser === 1,
  };
}

/** The live row of an account, by username, in the file's terms. */
export function liveAccount(db: SqlConnection, username: string): FileAccount | null {
  return fromLiveRow(db.prepare(liveAccountSql()).get(username) as LiveAccountRow | undefined);
}

/** The live account by username as the database holds it now, whichever engine (a dry run's read). */
export async function liveAccountNow(username: string): Promise<FileAccount | null> {
  // Loaded here, not at the top: the restore CLI imports this file, and loading Prisma costs
  // its start ~0.85 s under load when it only needs this read with --keep-account or a guard.
  const { prisma } = await import("@/lib/db/prisma");
  const user = await prisma().user.findUnique({
    where: { username },
    select: { id: true, username: true, password: true, isActive: true, isStaff: true, isSuperuser: true },
  });
  return user && { pk: user.id, ...user };
}

/** liveAccount, read through the engine seam's write session (inside its transaction). */
async function liveAccountIn(session: WriteSession, username: string): Promise<FileAccount | null> {
  return fromLiveRow(await session.get<LiveAccountRow>(liveAccountSql(), [username]));
}

function differences(now: FileAccount, then: FileAccount): string[] {
  const found: string[] = [];
  if (then.password !== now.password) found.push("a different password");
  if (canSignInAsStaff(then) !== canSignInAsStaff(now))
    found.push(canSignInAsStaff(then) ? "staff rights" : "no staff rights");
  if (then.isActive !== now.isActive) found.push(then.isActive ? "active" : "inactive");
  if (then.pk !== now.pk) found.push(`another id (${then.pk}, now ${now.pk})`);
  return found;
}

/**
 * Compares the file's accounts with the acting admin's live account (`actor`, already read
 * from the current database) and counts who could sign in as staff afterwards. `kept` are the
 * live accounts that will survive the restore as they are now.
 */
export function checkSignIn(
  accounts: FileAccount[],
  actor: FileAccount | null,
  kept: FileAccount[] = [],
  signInAs: string | null = null,
): SignInCheck {
  const keptNames = new Set(kept.map((k) => k.username));
  const warnings: string[] = [];
  let actorCheck: SignInCheck["actor"] = null;
  let locksOut = false;
  if (actor) {
    const inFile = accounts.find((a) => a.username === actor.username);
    const found = inFile ? differences(actor, inFile) : [];
    const status = !inFile ? "missing" : found.length > 0 ? "differs" : "same";
    actorCheck = { username: actor.username, status, differences: found };
    // Proven by its password (decideAccess): the actor signs in again as that account.
    const willSignInAs = signInAs !== null && accounts.some((a) => a.username === signInAs && canSignInAsStaff(a));
    if (!keptNames.has(actor.username) && !willSignInAs) {
      if (status === "missing")
        warnings.push(
          `Your account (${actor.username}) is not in this backup: you would be signed out and could not sign in again.`,
        );
      if (status === "differs")
        warnings.push(
          `Your account (${actor.username}) is different in this backup (${found.join(", ")}): you would be signed out.`,
        );
      locksOut = status !== "same";
    }
  }
  const staffWhoCanSignIn =
    accounts.filter((a) => !keptNames.has(a.username) && canSignInAsStaff(a)).length +
    kept.filter(canSignInAsStaff).length;
  if (staffWhoCanSignIn === 0) {
    warnings.push(
      "No active staff account with a usable password is in this backup: nobody could sign in to this console afterwards.",
    );
    locksOut = true;
  }
  return { actor: actorCheck, staffWhoCanSignIn, ...whoCanSignIn(accounts, kept), warnings, locksOut };
}

export interface RestoreAccess {
  check: SignInCheck;
  /** Set when the restore must not go ahead: a plain sentence saying why. */
  refusal: string | null;
}

/** What the sign-in check needs from the live database, read before a restore changes it. */
export interface LiveAccess {
  /** The acting admin's account, when the check guards them (the browser). */
  actor: FileAccount | null;
  /** The accounts that will survive the restore as they are now. */
  kept: FileAccount[];
  guard: boolean;
}

/**
 * Reads the acting admin and the accounts to keep from the live database. A name to keep
 * that has no account is refused at once: a plain sentence instead of the inputs.
 */
export function readLiveAccess(
  live: SqlConnection,
  options: { actor: string; keepAccounts?: string[]; guard?: boolean },
): LiveAccess | { refusal: string } {
  const kept: FileAccount[] = [];
  for (const username of options.keepAccounts ?? []) {
    const account = liveAccount(live, username);
    if (!account)
      return { refusal: `There is no account named ${JSON.stringify(username)} to keep; nothing was changed.` };
    kept.push(account);
  }
  const guard = options.guard ?? false;
  return { actor: guard ? liveAccount(live, options.actor) : null, kept, guard };
}

/** readLiveAccess, through the engine seam's write session. */
export async function readLiveAccessIn(
  session: WriteSession,
  options: { actor: string; keepAccounts?: string[]; guard?: boolean },
): Promise<LiveAccess | { refusal: string }> {
  const kept: FileAccount[] = [];
  for (const username of options.keepAccounts ?? []) {
    const account = await liveAccountIn(session, username);
    if (!account)
      return { refusal: `There is no account named ${JSON.stringify(username)} to keep; nothing was changed.` };
    kept.push(account);
  }
  const guard = options.guard ?? false;
  return { actor: guard ? await liveAccountIn(session, options.actor) : null, kept, guard };
}

/**
 * "I will sign in as one of these": the file's staff account the acting admin will sign in as
 * afterwards, and the check of the password they typed against that account's hash in the
 * file (given by the caller: this engine knows no password scheme).
 */
export interface SignInAs {
  username: string;
  passwordMatches(encodedHash: string): Promise<boolean>;
}

/** Why signing in as `signInAs` after the restore would not work, or null when it would. */
export async function signInAsRefusal(accounts: FileAccount[], signInAs: SignInAs): Promise<string | null> {
  const account = accounts.find((a) => a.username === signInAs.username);
  if (!account)
    return `There is no account named ${JSON.stringify(signInAs.username)} in this backup; nothing was changed.`;
  if (!canSignInAsStaff(account))
    return `${signInAs.username} could not open this console after the restore (it is not an active staff account with a password in this backup); nothing was changed.`;
  if (!(await signInAs.passwordMatches(account.password)))
    return `That is not ${signInAs.username}'s password in this backup; nothing was changed.`;
  return null;
}

/**
 * Checks who could sign in after restoring `accounts` (the file's). With `guard` (the
 * browser), a restore that would lock the acting admin or every staff member out is refused,
 * unless the admin proved with `signInAs` that they can sign in as one of the file's staff.
 */
export async function decideAccess(
  accounts: FileAccount[],
  live: LiveAccess,
  signInAs?: SignInAs | null,
): Promise<RestoreAccess> {
  if (signInAs) {
    const refusal = await signInAsRefusal(accounts, signInAs);
    if (refusal) return { check: checkSignIn(accounts, live.actor, live.kept), refusal };
  }
  return accessFor(accounts, live, signInAs?.username ?? null);
}

/** The check and the guard's refusal, once any "sign in as" account was proven. */
function accessFor(accounts: FileAccount[], live: LiveAccess, signInAs: string | null): RestoreAccess {
  const check = checkSignIn(accounts, live.actor, live.kept, signInAs);
  const refusal =
    live.guard && check.locksOut
      ? `${check.warnings.join(" ")} Nothing was changed. Choose “Keep my account”, or sign in afterwards as one of the backup's staff, to restore it without locking yourself out.`
      : null;
  return { check, refusal };
}

/** restoreAccess on the live database, whichever engine holds it (the CLI's and the browser's dry run). */
export async function restoreAccessNow(
  accounts: FileAccount[],
  options: { actor: string; keepAccounts?: string[]; guard?: boolean },
): Promise<RestoreAccess> {
  const kept: FileAccount[] = [];
  for (const username of options.keepAccounts ?? []) {
    const account = await liveAccountNow(username);
    if (!account) {
      const refusal = `There is no account named ${JSON.stringify(username)} to keep; nothing was changed.`;
      return { check: checkSignIn(accounts, null), refusal };
    }
    kept.push(account);
  }
  const guard = options.guard ?? false;
  return accessFor(accounts, { actor: guard ? await liveAccountNow(options.actor) : null, kept, guard }, null);
}

/** Both steps at once, for a dry run: the live database is read as it is now. */
export function restoreAccess(
  live: SqlConnection,
  accounts: FileAccount[],
  options: { actor: string; keepAccounts?: string[]; guard?: boolean },
): RestoreAccess {
  const inputs = readLiveAccess(live, options);
  if ("refusal" in inputs) return { check: checkSignIn(accounts, null), refusal: inputs.refusal };
  return accessFor(accounts, inputs, null);
}
