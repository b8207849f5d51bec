import { pageWindow } from "@/lib/admin/pagination";
import { prisma } from "@/lib/db/prisma";

export async function listMachines(page: number) {
  const db = prisma();
  const window = pageWindow(page, await db.machine.count());
  const [machines, queued] = await Promise.all([
    db.machine.findMany({
      orderBy: { name: "asc" },
      skip: window.skip,
      take: window.take,
      include: { currentUser: { select: { username: true } } },
    }),
    db.queueEntry.groupBy({ by: ["assignedMachineId"], where: { status: "queued" }, _count: { _all: true } }),
  ]);
  const queueLength = new Map(queued.map((q) => [q.assignedMachineId, q._count._all]));
  return { window, machines: machines.map((m) => ({ ...m, queueLength: queueLength.get(m.id) ?? 0 })) };
}
