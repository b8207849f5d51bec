// The staff check every admin page, server action and route handler runs on the server.
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";

import {
  credentialFingerprint,
  findAccount,
  findAccountByUsername,
  isStaffAccount,
  type AccountRow,
} from "@/lib/auth/accounts";
import { authOptions } from "@/lib/auth/options";
import { sameSecret } from "@/lib/http/constant-time";

export type StaffCheck =
  { ok: true; account: AccountRow } | { ok: false; reason: "signed-out" | "stale" | "not-staff" };

export const ACCESS_MESSAGES: Record<Exclude<StaffCheck, { ok: true }>["reason"], string> = {
  "signed-out": "Please sign in.",
  stale: "Your account changed since you signed in (for example after a restore). Please sign in again.",
  "not-staff": "This area is for lab staff only.",
};

/** What a session token carries (lib/auth/options.ts puts it there at sign-in). */
export interface SessionUser {
  uid?: number;
  /** The username signed in with (next-auth's `name`). */
  name?: string | null;
  fingerprint?: string;
}

export async function checkStaff(): Promise<StaffCheck> {
  const session = await getServerSession(authOptions());
  return staffCheckFor(session?.user as SessionUser | undefined);
}

/**
 * The account behind a session, read fresh from the database: a token outlives a restore, a
 * password change or a demotion, so what it says is never trusted on its own.
 */
export async function staffCheckFor(user: SessionUser | undefined): Promise<StaffCheck> {
  if (!user?.uid) return { ok: false, reason: "signed-out" };
  const account = await sessionAccount(user as SessionUser & { uid: number });
  if (!account || !account.isActive) {
    return { ok: false, reason: "stale" };
  }
  if (!isStaffAccount(account)) return { ok: false, reason: "not-staff" };
  return { ok: true, account };
}

/**
 * The account a session belongs to: the one under its id, or, when a restore that kept the
 * account gave it another id (keep-accounts.ts), the one under its username. Either way the
 * fingerprint of username and password hash must match, so another person's record never passes.
 */
async function sessionAccount(user: SessionUser & { uid: number }): Promise<AccountRow | null> {
  // In constant time: the fingerprint derives from the password hash, and a token's is the guess.
  const matches = (account: AccountRow | null) =>
    account !== null && sameSecret(user.fingerprint, credentialFingerprint(account)) ? account : null;
  const byId = matches(await findAccount(user.uid));
  if (byId || !user.name) return byId;
  return matches(await findAccountByUsername(user.name));
}

/** For pages: redirects anyone who is not signed-in staff. */
export async function requireStaffPage(path: string): Promise<AccountRow> {
  const check = await checkStaff();
  if (check.ok) return check.account;
  redirect(pageRefusal(check, path));
}

/** Where a page sends a visitor it refuses: to sign in (again) and come back, or to "no access". */
export function pageRefusal(check: Extract<StaffCheck, { ok: false }>, path: string): string {
  if (check.reason === "not-staff") return "/no-access";
  const params = new URLSearchParams({ callbackUrl: path });
  if (check.reason === "stale") params.set("reason", "stale");
  return `/signin?${params}`;
}

/** What every server action answers; `problems` lists details behind a refusal, when there are any. */
export type ActionResult<T = object> = ({ ok: true } & T) | { ok: false; error: string; problems?: string[] };

/** For server actions and route handlers: the account, or the refusal as a typed error. */
export type StaffRequirement = { ok: true; account: AccountRow } | { ok: false; error: string; status: 401 | 403 };

export async function requireStaff(): Promise<StaffRequirement> {
  return asRequirement(await checkStaff());
}

/** A refusal in words, with its HTTP status: 401 until signed in (again), 403 for researchers. */
export function asRequirement(check: StaffCheck): StaffRequirement {
  if (check.ok) return check;
  return { ok: false, error: ACCESS_MESSAGES[check.reason], status: check.reason === "not-staff" ? 403 : 401 };
}
