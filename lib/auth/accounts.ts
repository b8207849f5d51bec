// Who may sign in and who counts as staff, decided from the database row every time.
import { createHash } from "node:crypto";

import { hashPassword, isCheckablePassword, verifyPassword } from "@/lib/auth/password";
import { prisma } from "@/lib/db/prisma";

export interface AccountRow {
  id: number;
  username: string;
  password: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
}

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
    select: { id: true, username: true, password: true, isActive: true, isStaff: true, isSuperuser: true },
  });
}

export async function findAccountByUsername(username: string): Promise<AccountRow | null> {
  return prisma().user.findUnique({
    where: { username },
    select: { id: true, username: true, password: true, isActive: true, isStaff: true, isSuperuser: true },
  });
}

/** Whether some account has this username (the throttle keeps a per-username count only for those). */
export async function usernameExists(username: string): Promise<boolean> {
  return (await prisma().user.count({ where: { username } })) > 0;
}

/**
 * The account for a username and password, or null; never says which part was wrong. Every
 * attempt does the same work, one PBKDF2 verification: an unknown username, an inactive
 * account or one without a usable password is checked against a dummy hash, so response times
 * do not tell which accounts exist or may sign in.
 */
export async function authenticate(username: string, password: string): Promise<AccountRow | null> {
  const account = await prisma().user.findUnique({
    where: { username },
    select: { id: true, username: true, password: true, isActive: true, isStaff: true, isSuperuser: true },
  });
  const usable = account !== null && account.isActive && isCheckablePassword(account.password);
  const matches = await verifyPassword(password, usable ? account.password : DUMMY_HASH);
  if (!usable || !matches) return null;
  await prisma()
    .user.update({ where: { id: account.id }, data: { lastLogin: new Date() } })
    .catch(() => undefined);
  return account;
}

/** A hash of Django's iteration count: as much work to check as a real account's. */
const DUMMY_HASH = "pbkdf2_sha256$1500000$dummysaltdummysalt00$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

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
    select: { id: true, username: true, password: true, isActive: true, isStaff: true, isSuperuser: true },
  });
}
