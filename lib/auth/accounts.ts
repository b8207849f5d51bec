// Who may sign in and who counts as staff, decided from the database row every time.
import { createHash } from "node:crypto";

import { checkPassword, hashPassword } from "@/lib/auth/password";
import { prisma } from "@/lib/db/prisma";

export interface AccountRow {
  id: number;
  username: string;
  password: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
}

/** The columns an AccountRow holds, for every query that reads one. */
const ACCOUNT_COLUMNS = {
  id: true,
  username: true,
  password: true,
  isActive: true,
  isStaff: true,
  isSuperuser: true,
} as const;

export const isStaffAccount = (u: Pick<AccountRow, "isActive" | "isStaff" | "isSuperuser">) =>
  u.isActive && (u.isStaff || u.isSuperuser);

/**
 * A short fingerprint of the stored hash. Sessions carry it, so a session ends when
 * its account's password changes or a restore puts a different account under its id.
 */
export function credentialFingerprint(account: Pick<AccountRow, "username" | "password">): string {
  return createHash("sha256").update(`${account.username}\0${account.password}`).digest("base64url").slice(0, 16);
}

export async function findAccount(id: number): Promise<AccountRow | null> {
  return prisma().user.findUnique({
    where: { id },
    select: ACCOUNT_COLUMNS,
  });
}

export async function findAccountByUsername(username: string): Promise<AccountRow | null> {
  return prisma().user.findUnique({
    where: { username },
    select: ACCOUNT_COLUMNS,
  });
}

/** Whether some account has this username (the throttle keeps a per-username count only for those). */
export async function usernameExists(username: string): Promise<boolean> {
  return (await prisma().user.count({ where: { username } })) > 0;
}

/**
 * The account for a username and password, or null; never says which part was wrong. Every
 * attempt does the same work (checkPassword): an unknown username, an inactive account, one
 * without a usable password or one with the old app's fewer iterations takes as long to refuse
 * as a real account's wrong password, so response times do not tell which accounts exist.
 */
export async function authenticate(username: string, password: string): Promise<AccountRow | null> {
  const account = await findAccountByUsername(username);
  const usable = account !== null && account.isActive;
  const check = await checkPassword(password, usable ? account.password : null);
  if (!usable || !check.matches) return null;
  const rehashed = check.needsRehash ? await hashPassword(password) : null;
  // Only over the hash just checked: a restore or a password change in the meantime wins.
  const stored = await prisma()
    .user.updateMany({
      where: { id: account.id, password: account.password },
      data: { lastLogin: new Date(), ...(rehashed && { password: rehashed }) },
    })
    .then(
      ({ count }) => count === 1,
      () => false,
    );
  // The session's fingerprint must be that of the hash the database holds.
  return rehashed && stored ? { ...account, password: rehashed } : account;
}

export interface NewAccount {
  username: string;
  password: string;
  email?: string;
  staff?: boolean;
  superuser?: boolean;
}

export async function createAccount(input: NewAccount): Promise<AccountRow> {
  const password = await hashPassword(input.password);
  return prisma().user.create({
    data: {
      username: input.username,
      password,
      email: input.email ?? "",
      isStaff: Boolean(input.staff || input.superuser),
      isSuperuser: Boolean(input.superuser),
      // Made by an administrator: approved from the start, as the original app marks such accounts.
      profile: { create: { status: "approved", isApproved: true, approvedAt: new Date() } },
      notificationPreference: { create: { notifyDatabaseRestored: Boolean(input.staff || input.superuser) } },
    },
    select: ACCOUNT_COLUMNS,
  });
}
