// The Users page's server actions: staff change who may sign in and with what rights, reset a
// password, let someone locked out after wrong passwords sign in again, or delete an account
// (the installer's, after moving in from the original app).
// Every change is written to the History. No one can lock themselves out, and the lab never
// loses its last active staff account: such a change is refused with a plain sentence.

import { z } from "zod";

import { recordAccountChange } from "@/lib/admin/account-history";
import { ownedInWords } from "@/lib/admin/users";
import type { AccountRow } from "@/lib/auth/accounts";
import { madePassword, NewPassword } from "@/lib/auth/new-account";
import { hashPassword } from "@/lib/auth/password";
import { liftSignInLock } from "@/lib/auth/sign-in";
import { ActionError, staffAction } from "@/lib/auth/staff-action";
import { canSignInAsStaff } from "@/lib/backup/restore/sign-in-check";
import { pruneSafetySnapshots, writeSafetyCopy } from "@/lib/backup/snapshot";
import { recordSnapshotInfo, snapshotLabel } from "@/lib/backup/snapshot-info";
import { prisma } from "@/lib/db/prisma";
import { waitInWords } from "@/lib/format";

const UserId = z.number().int().positive();

type Db = Pick<ReturnType<typeof prisma>, "user">;

/** Who can open this console: what "the last active staff account" counts (the restore check's own rule). */
const opensConsole = canSignInAsStaff;

async function accountOrRefuse(id: number) {
  const user = await prisma().user.findUnique({ where: { id } });
  if (!user) throw new ActionError("That account no longer exists; reload the page.");
  return user;
}

/** Refuses a change after which nobody but `excludingId` could open this console. */
async function refuseIfLastStaff(db: Db, excludingId: number, username: string, what: string): Promise<void> {
  const others = await db.user.findMany({
    where: { id: { not: excludingId }, isActive: true, OR: [{ isStaff: true }, { isSuperuser: true }] },
    select: { isActive: true, isStaff: true, isSuperuser: true, password: true },
  });
  if (!others.some(opensConsole))
    throw new ActionError(
      `${username} is the last active staff account: ${what} would leave nobody able to open this console. Make someone else staff first.`,
    );
}

/** Staff or superuser: an account whose password or existence only a superuser may touch. */
const isPrivileged = (u: { isStaff: boolean; isSuperuser: boolean }) => u.isStaff || u.isSuperuser;

/** Only a superuser grants or takes rights, or resets or deletes a staff or superuser account. */
export function refuseUnlessSuperuser(staff: AccountRow, sentence: string): void {
  if (!staff.isSuperuser) throw new ActionError(sentence);
}

export const FlagsInput = z.object({
  userId: UserId,
  isActive: z.boolean().optional(),
  isStaff: z.boolean().optional(),
  isSuperuser: z.boolean().optional(),
});

/** What turning each flag on or off did, in words for the History. */
const FLAG_WORDS: Record<"isActive" | "isStaff" | "isSuperuser", (on: boolean, who: string) => string> = {
  isActive: (on, who) => (on ? `Activated ${who}` : `Deactivated ${who}`),
  isStaff: (on, who) => (on ? `Made ${who} staff` : `Took staff rights from ${who}`),
  isSuperuser: (on, who) => (on ? `Made ${who} a superuser` : `Took superuser rights from ${who}`),
};

/** Turns an account's active, staff or superuser flag on or off. */
export async function changeFlags(input: z.infer<typeof FlagsInput>, staff: AccountRow) {
  const startedAt = new Date();
  const user = await accountOrRefuse(input.userId);
  const next = {
    isActive: input.isActive ?? user.isActive,
    isStaff: input.isStaff ?? user.isStaff,
    isSuperuser: input.isSuperuser ?? user.isSuperuser,
  };
  const changed = (Object.keys(FLAG_WORDS) as (keyof typeof FLAG_WORDS)[]).filter((k) => next[k] !== user[k]);
  if (changed.length === 0) return { ok: true as const, summary: "Nothing changed." };
  const changesRights = changed.some((k) => k !== "isActive");
  if (changesRights && user.id === staff.id && (next.isStaff > user.isStaff || next.isSuperuser > user.isSuperuser))
    throw new ActionError("You cannot raise your own rights. Ask a superuser.");
  if (changesRights)
    refuseUnlessSuperuser(staff, "Only a superuser can give or take staff or superuser rights. Ask a superuser.");
  if (isPrivileged(user) && user.id !== staff.id)
    refuseUnlessSuperuser(staff, `Only a superuser can change ${user.username}, a staff account. Ask a superuser.`);
  const losesConsole = opensConsole(user) && !opensConsole({ ...user, ...next });
  if (losesConsole && user.id === staff.id)
    throw new ActionError(
      "You cannot take away your own sign-in or staff rights: you would lock yourself out. Ask another staff member.",
    );
  // The check and the change in one transaction: two staff demoting each other at once cannot both pass.
  await prisma().$transaction(async (db) => {
    if (losesConsole) await refuseIfLastStaff(db, user.id, user.username, "this change");
    await db.user.update({ where: { id: user.id }, data: next });
  });
  const summary = changed.map((k) => FLAG_WORDS[k](next[k], user.username)).join("; ");
  await recordAccountChange(staff, summary, startedAt);
  return { ok: true as const, summary: `${summary}.` };
}
export const setAccountFlags = staffAction(FlagsInput, changeFlags);

export const ResetInput = z.object({
  userId: UserId,
  /** Typed by staff; when absent, one is made and shown once. */
  password: NewPassword.optional(),
});

/** Sets a new password; answers it once when the server made it (it is stored only as a hash). */
export async function resetPassword(input: z.infer<typeof ResetInput>, staff: AccountRow) {
  const startedAt = new Date();
  const user = await accountOrRefuse(input.userId);
  if (user.id === staff.id)
    throw new ActionError(
      "Change your own password on the command line (npm run user:create), not here: this would end your session.",
    );
  if (isPrivileged(user))
    refuseUnlessSuperuser(
      staff,
      `Only a superuser can reset the password of ${user.username}, a staff account. Ask a superuser.`,
    );
  const password = input.password ?? madePassword();
  await prisma().user.update({ where: { id: user.id }, data: { password: await hashPassword(password) } });
  await recordAccountChange(staff, `Reset the password of ${user.username}`, startedAt);
  return { ok: true as const, username: user.username, shownOnce: input.password ? null : password };
}
export const resetAccountPassword = staffAction(ResetInput, resetPassword);

export const DeleteInput = z.object({
  userId: UserId,
  confirmation: z.literal("DELETE", { error: "Type DELETE to confirm." }),
});

/** Deletes an account with what is only theirs (profile, preferences, queue entries, measurements, notices). */
export async function removeAccount(input: z.infer<typeof DeleteInput>, staff: AccountRow) {
  const startedAt = new Date();
  const user = await accountOrRefuse(input.userId);
  if (user.id === staff.id)
    throw new ActionError("You cannot delete your own account: you would lock yourself out. Ask another staff member.");
  if (isPrivileged(user))
    refuseUnlessSuperuser(staff, `Only a superuser can delete ${user.username}, a staff account. Ask a superuser.`);
  if (opensConsole(user)) await refuseIfLastStaff(prisma(), user.id, user.username, "deleting it");
  const owned = await ownedRecords(user.id);
  // The deletion cascades to the person's rows: a safety snapshot first, so a roll back brings them back.
  const snapshot = await writeSafetyCopy();
  recordSnapshotInfo(snapshot.file, {
    purpose: { kind: "delete-account", label: user.username, actor: staff.username },
  });
  await prisma().$transaction(async (db) => {
    if (opensConsole(user)) await refuseIfLastStaff(db, user.id, user.username, "deleting it");
    await db.user.delete({ where: { id: user.id } });
  });
  // As after a restore: the newest few and each recent day's first are kept, not every one.
  pruneSafetySnapshots();
  const gone = owned.total > 0 ? ` with ${owned.text}` : "";
  const kept = `a safety snapshot taken just before keeps it (${snapshotLabel(snapshot.createdAt)})`;
  await recordAccountChange(staff, `Deleted the account ${user.username}${gone}; ${kept}`, startedAt);
  return { ok: true as const, summary: `Deleted ${user.username}${gone}; ${kept}.`, snapshot: snapshot.name };
}
export const deleteAccount = staffAction(DeleteInput, removeAccount);

/** What deleting an account deletes with it, counted now. */
async function ownedRecords(userId: number): Promise<{ total: number; text: string }> {
  const db = prisma();
  const count = {
    queueEntries: await db.queueEntry.count({ where: { userId } }),
    archivedMeasurements: await db.archivedMeasurement.count({ where: { userId } }),
    notifications: await db.notification.count({ where: { recipientId: userId } }),
  };
  return { total: count.queueEntries + count.archivedMeasurements + count.notifications, text: ownedInWords(count) };
}

export const LiftLockInput = z.object({ userId: UserId });

/**
 * Lets an account locked out after wrong passwords sign in now: its username's failures and
 * lock are cleared (not its address's). A staff account's only by a superuser: else a staff
 * member could lift the lock of a superuser whose password they are guessing, again and again.
 */
export async function liftLock(input: z.infer<typeof LiftLockInput>, staff: AccountRow) {
  const startedAt = new Date();
  const user = await accountOrRefuse(input.userId);
  // Someone guessing your password locked you out while you were signed in elsewhere: another
  // staff member decides whether to let them guess on.
  if (user.id === staff.id) throw new ActionError("You cannot lift your own sign-in lock. Ask another staff member.");
  if (isPrivileged(user))
    refuseUnlessSuperuser(
      staff,
      `Only a superuser can lift the sign-in lock of ${user.username}, a staff account. Ask a superuser, or wait until it runs out.`,
    );
  const lock = await liftSignInLock("account", user.username);
  if (!lock)
    return { ok: true as const, summary: `${user.username} was not locked out (any more): they can sign in now.` };
  const why = `locked after ${lock.failures} failed sign-ins, ${waitInWords(lock.seconds)} left`;
  await recordAccountChange(staff, `Lifted the sign-in lock of ${user.username} (${why})`, startedAt);
  return { ok: true as const, summary: `${user.username} can sign in again now.` };
}
export const liftSignInLockOf = staffAction(LiftLockInput, liftLock);
