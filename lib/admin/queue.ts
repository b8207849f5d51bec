import { z } from "zod";

import { pageWindow } from "@/lib/admin/pagination";
import { prisma } from "@/lib/db/prisma";
import { QueueStatus } from "@/lib/domain/choices";

/** "active" (queued or running) is what the lab works through; it is the page's default. */
export const QueueStatusFilter = z.union([z.literal("active"), z.literal("any"), QueueStatus]);

export const QueueFilter = z.object({
  /** A machine's id, or `gone:<name>` for a machine that no longer exists (by the name its jobs kept). */
  machine: z
    .string()
    .regex(/^(\d+|gone:.{1,100})$/)
    .optional()
    .catch(undefined),
  status: QueueStatusFilter.catch("active").default("active"),
  /** Words in the title or the username. */
  q: z.string().trim().max(100).optional().catch(undefined),
});
export type QueueFilter = z.infer<typeof QueueFilter>;

function whereOf(filter: QueueFilter) {
  const machine = filter.machine?.startsWith("gone:")
    ? { assignedMachineId: null, machineNameText: filter.machine.slice("gone:".length) }
    : filter.machine
      ? { assignedMachineId: Number(filter.machine) }
      : {};
  const status =
    filter.status === "active"
      ? { status: { in: ["queued", "running"] } }
      : filter.status === "any"
        ? {}
        : { status: filter.status };
  const search = filter.q
    ? { OR: [{ title: { contains: filter.q } }, { user: { username: { contains: filter.q } } }] }
    : {};
  return { ...machine, ...status, ...search };
}

/** Machines that exist, and the names kept by jobs whose machine was removed. */
async function machineChoices() {
  const db = prisma();
  const [machines, gone] = await Promise.all([
    db.machine.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.queueEntry.groupBy({
      by: ["machineNameText"],
      where: { assignedMachineId: null, machineNameText: { not: "" } },
      orderBy: { machineNameText: "asc" },
    }),
  ]);
  return { machines, goneMachines: gone.map((g) => g.machineNameText) };
}

/**
 * Entries per machine as the lab works through them: the running job first, then the queue in
 * order (position, then submission time), then finished and cancelled ones; jobs without a
 * machine come after those with one.
 */
export async function listQueue(filter: QueueFilter, page: number) {
  const db = prisma();
  const where = whereOf(filter);
  const window = pageWindow(page, await db.queueEntry.count({ where }));
  const [entries, choices] = await Promise.all([
    db.queueEntry.findMany({
      where,
      orderBy: [
        { assignedMachineId: { sort: "asc", nulls: "last" } },
        // running > queued > completed > cancelled, alphabetically too: a running job has no
        // queue position, and by position alone it came after everything queued behind it.
        { status: "desc" },
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
    machineChoices(),
  ]);
  return { window, entries, ...choices };
}
