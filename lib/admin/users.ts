import { pageWindow } from "@/lib/admin/pagination";
import { prisma } from "@/lib/db/prisma";
import { formatCount, plural } from "@/lib/format";

export async function listUsers(page: number) {
  const db = prisma();
  const window = pageWindow(page, await db.user.count());
  const users = await db.user.findMany({
    orderBy: { username: "asc" },
    skip: window.skip,
    take: window.take,
    select: {
      id: true,
      username: true,
      firstName: true,
      lastName: true,
      email: true,
      isStaff: true,
      isSuperuser: true,
      isActive: true,
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
