import { pageWindow } from "@/lib/admin/pagination";
import { isCheckablePassword } from "@/lib/auth/password";
import { signInLocks } from "@/lib/auth/sign-in";
import { prisma } from "@/lib/db/prisma";
import { formatCount, plural } from "@/lib/format";

export async function listUsers(page: number) {
  const db = prisma();
  const window = pageWindow(page, await db.user.count());
  // Alphabetical whatever the case ("ada", "Bob", "carol"): SQLite compares bytes, so every
  // capitalised name came first there, and PostgreSQL's collation differs again. A lab's
  // accounts are a few thousand at most: their names are sorted here, then one page is read.
  const everyone = await db.user.findMany({ select: { id: true, username: true } });
  const ids = everyone
    .sort((a, b) => a.username.toLowerCase().localeCompare(b.username.toLowerCase()) || a.id - b.id)
    .slice(window.skip, window.skip + window.take)
    .map((u) => u.id);
  const order = new Map(ids.map((id, i) => [id, i]));
  const found = await db.user.findMany({
    where: { id: { in: [...order.keys()] } },
    select: {
      id: true,
      username: true,
      firstName: true,
      lastName: true,
      email: true,
      isStaff: true,
      isSuperuser: true,
      isActive: true,
      password: true,
      dateJoined: true,
      lastLogin: true,
      _count: { select: { queueEntries: true, archivedMeasurements: true, notifications: true } },
      profile: {
        select: {
          status: true,
          organization: true,
          organizationOther: true,
          department: true,
          departmentOther: true,
          isLabManager: true,
          isDeveloper: true,
          ln2Trained: true,
          quantifyTrained: true,
        },
      },
    },
  });
  // Whether a password can sign in at all ("!…" is Django's unusable one), never the hash itself.
  const users = found
    .sort((a, b) => order.get(a.id)! - order.get(b.id)!)
    .map(({ password, ...user }) => ({ ...user, hasPassword: isCheckablePassword(password) }));
  return { window, users };
}

/** What deleting an account deletes with it, in words: "3 queue entries, 12 notifications" ("" for nothing). */
export function ownedInWords(count: { queueEntries: number; archivedMeasurements: number; notifications: number }) {
  const parts: [number, string, string][] = [
    [count.queueEntries, "queue entry", "queue entries"],
    [count.archivedMeasurements, "archived measurement", "archived measurements"],
    [count.notifications, "notification", "notifications"],
  ];
  return parts
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${formatCount(n)} ${plural(n, one, many)}`)
    .join(", ");
}

/** An account locked out of sign-in now: for how many more seconds, after how many failures. */
export interface LockedAccount {
  id: number;
  username: string;
  isStaff: boolean;
  isSuperuser: boolean;
  seconds: number;
  failures: number;
}

/**
 * The accounts whose usernames the sign-in throttle holds locked now, longest lock first. The
 * throttle folds case ("Ada" and "ada" share a lock), so both accounts would be listed.
 * Usernames no account has are left out: there is nobody to let in.
 */
export async function lockedAccounts(): Promise<LockedAccount[]> {
  const locks = new Map((await signInLocks()).filter((l) => l.scope === "account").map((l) => [l.name, l]));
  if (locks.size === 0) return [];
  const everyone = await prisma().user.findMany({
    select: { id: true, username: true, isStaff: true, isSuperuser: true },
  });
  return everyone
    .flatMap((user) => {
      const lock = locks.get(user.username.trim().toLowerCase());
      return lock ? [{ ...user, seconds: lock.seconds, failures: lock.failures }] : [];
    })
    .sort((a, b) => b.seconds - a.seconds || a.username.localeCompare(b.username));
}
