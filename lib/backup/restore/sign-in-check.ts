// Who can sign in after a restore: a restore that drops the acting admin, or leaves no
// active staff account with a usable password, locks the lab out of its own console.
// The dry run shows this check; the browser refuses such a restore unless the admin keeps
// their account (see keep-accounts.ts).
import type { DecodedRecord } from "@/lib/backup/format/record-schema";
import { modelByName } from "@/lib/backup/format/schema-model";
import { quoteIdentifier as quote, type SqlConnection } from "@/lib/db/sqlite";

/** An account as a backup file holds it: what decides whether it can sign in. */
export interface FileAccount {
  pk: number;
  username: string;
  password: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
}

export interface SignInCheck {
  /** The signed-in admin's account compared with the file's; null when no one is acting (CLI). */
  actor: { username: string; status: "same" | "missing" | "differs"; differences: string[] } | null;
  /** Active staff or superusers in the file whose password is usable. */
  staffWhoCanSignIn: number;
  /** Plain sentences, one per reason someone would be locked out. */
  warnings: string[];
  /** True when restoring as is would sign the actor out for good or leave no staff able to sign in. */
  locksOut: boolean;
}

const canSignInAsStaff = (a: Pick<FileAccount, "password" | "isActive" | "isStaff" | "isSuperuser">) =>
  a.isActive && (a.isStaff || a.isSuperuser) && a.password.length > 0 && !a.password.startsWith("!");

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

/** The live row of an account, by username, in the file's terms. */
export function liveAccount(db: SqlConnection, username: string): FileAccount | null {
  const user = modelByName("User");
  const row = db
    .prepare(
      `SELECT id, username, password, is_active, is_staff, is_superuser FROM ${quote(user.table)} WHERE username = ?`,
    )
    .get(username) as
    | { id: number; username: string; password: string; is_active: number; is_staff: number; is_superuser: number }
    | undefined;
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
export function checkSignIn(accounts: FileAccount[], actor: FileAccount | null, kept: FileAccount[] = []): SignInCheck {
  const keptNames = new Set(kept.map((k) => k.username));
  const warnings: string[] = [];
  let actorCheck: SignInCheck["actor"] = null;
  let locksOut = false;
  if (actor) {
    const inFile = accounts.find((a) => a.username === actor.username);
    const found = inFile ? differences(actor, inFile) : [];
    const status = !inFile ? "missing" : found.length > 0 ? "differs" : "same";
    actorCheck = { username: actor.username, status, differences: found };
    if (!keptNames.has(actor.username)) {
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
  return { actor: actorCheck, staffWhoCanSignIn, warnings, locksOut };
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

/**
 * Checks who could sign in after restoring `accounts` (the file's). With `guard` (the
 * browser), a restore that would lock the acting admin or every staff member out is refused.
 */
export function decideAccess(accounts: FileAccount[], live: LiveAccess): RestoreAccess {
  const check = checkSignIn(accounts, live.actor, live.kept);
  const refusal =
    live.guard && check.locksOut
      ? `${check.warnings.join(" ")} Nothing was changed. Choose “Keep my account” to restore this backup without locking yourself out.`
      : null;
  return { check, refusal };
}

/** Both steps at once, for a dry run: the live database is read as it is now. */
export function restoreAccess(
  live: SqlConnection,
  accounts: FileAccount[],
  options: { actor: string; keepAccounts?: string[]; guard?: boolean },
): RestoreAccess {
  const inputs = readLiveAccess(live, options);
  if ("refusal" in inputs) return { check: checkSignIn(accounts, null), refusal: inputs.refusal };
  return decideAccess(accounts, inputs);
}
