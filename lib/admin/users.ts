import { pageWindow } from "@/lib/admin/pagination";
import { prisma } from "@/lib/db/prisma";

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
