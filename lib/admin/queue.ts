import { z } from "zod";

import { pageWindow } from "@/lib/admin/pagination";
import { prisma } from "@/lib/db/prisma";
import { QueueStatus } from "@/lib/domain/choices";

export const QueueFilter = z.object({
  machine: z.coerce.number().int().positive().optional().catch(undefined),
  status: QueueStatus.optional().catch(undefined),
});
export type QueueFilter = z.infer<typeof QueueFilter>;

/** Entries per machine in queue order (position, then submission time), as the lab works through them. */
export async function listQueue(filter: QueueFilter, page: number) {
  const db = prisma();
  const where = { assignedMachineId: filter.machine, status: filter.status };
  const window = pageWindow(page, await db.queueEntry.count({ where }));
  const [entries, machines] = await Promise.all([
    db.queueEntry.findMany({
      where,
      orderBy: [
        { assignedMachine: { name: "asc" } },
        { queuePosition: { sort: "asc", nulls: "last" } },
        { submittedAt: "asc" },
      ],
      skip: window.skip,
      take: window.take,
      select: {
        id: true,
        title: true,
        status: true,
        queuePosition: true,
        submittedAt: true,
        estimatedDurationHours: true,
        isRushJob: true,
        priority: true,
        machineNameText: true,
        assignedMachine: { select: { name: true } },
        user: { select: { username: true } },
      },
    }),
    db.machine.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  return { window, entries, machines };
}
