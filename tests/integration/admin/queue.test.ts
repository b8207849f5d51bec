// The queue page's data: active jobs by default, machines that no longer exist found by the
// name their jobs kept, search by title or user.
import { describe, expect, it } from "vitest";

import { listQueue, QueueFilter } from "@/lib/admin/queue";
import { prisma } from "@/lib/db/prisma";
import { QueueStatus } from "@/lib/domain/choices";
import { seededDatabase } from "@/tests/support/db";

describe("the queue list", () => {
  it("opens on active jobs (queued or running), machines that exist first", async () => {
    seededDatabase(300);
    const { entries, window } = await listQueue(QueueFilter.parse({}), 1);
    const active = await prisma().queueEntry.count({ where: { status: { in: ["queued", "running"] } } });
    expect(window.total).toBe(active);
    expect(entries.every((e) => e.status === "queued" || e.status === "running")).toBe(true);
    expect(entries[0]!.assignedMachine).not.toBeNull();
    const all = await listQueue(QueueFilter.parse({ status: "any" }), 1);
    expect(all.window.total).toBe(300);
  });

  it("lists each machine's running job first, then its queue by position, then finished and cancelled jobs", async () => {
    seededDatabase(300);
    const machine = await prisma().machine.findFirstOrThrow({ orderBy: { id: "asc" } });
    const ids = (await prisma().queueEntry.findMany({ where: { assignedMachineId: machine.id }, select: { id: true } }))
      .map((e) => e.id)
      .slice(0, 5);
    expect(ids).toHaveLength(5);
    const set = (id: number, status: string, queuePosition: number | null) =>
      prisma().queueEntry.update({ where: { id }, data: { status, queuePosition } });
    await prisma().queueEntry.updateMany({ where: { assignedMachineId: machine.id }, data: { status: "cancelled" } });
    await set(ids[0]!, "queued", 2);
    await set(ids[1]!, "completed", null);
    await set(ids[2]!, "queued", 1);
    await set(ids[3]!, "running", null);
    await set(ids[4]!, "cancelled", 3);
    const order = async (status: string) =>
      (await listQueue(QueueFilter.parse({ machine: String(machine.id), status }), 1)).entries
        .filter((e) => ids.includes(e.id))
        .map((e) => e.id);
    expect(await order("active")).toEqual([ids[3], ids[2], ids[0]]);
    expect(await order("any")).toEqual([ids[3], ids[2], ids[0], ids[1], ids[4]]);
  });

  it("relies on the statuses sorting, descending, in the order the lab works (a new status must fit it)", () => {
    expect([...QueueStatus.options].sort().reverse()).toEqual(["running", "queued", "completed", "cancelled"]);
  });

  it("lists a removed machine by the name its jobs kept, and filters by it", async () => {
    seededDatabase(300);
    const { goneMachines } = await listQueue(QueueFilter.parse({}), 1);
    expect(goneMachines).toEqual(["Decommissioned Heliox"]);
    const { entries, window } = await listQueue(
      QueueFilter.parse({ machine: "gone:Decommissioned Heliox", status: "any" }),
      1,
    );
    expect(window.total).toBe(await prisma().queueEntry.count({ where: { assignedMachineId: null } }));
    expect(entries.every((e) => e.assignedMachine === null && e.machineNameText === "Decommissioned Heliox")).toBe(
      true,
    );
  });

  it("finds jobs by words in the title or by the user's name", async () => {
    seededDatabase(300);
    const someone = await prisma().queueEntry.findFirstOrThrow({ include: { user: true } });
    const byUser = await listQueue(QueueFilter.parse({ q: someone.user.username, status: "any" }), 1);
    expect(byUser.window.total).toBe(await prisma().queueEntry.count({ where: { userId: someone.userId } }));
    const word = someone.title.split(" ")[0]!;
    const byTitle = await listQueue(QueueFilter.parse({ q: word, status: "any" }), 1);
    expect(
      byTitle.entries.every(
        (e) => e.title.toLowerCase().includes(word.toLowerCase()) || e.user.username.includes(word),
      ),
    ).toBe(true);
    expect(byTitle.window.total).toBeGreaterThan(0);
  });

  it("ignores a malformed filter rather than failing", () => {
    expect(QueueFilter.parse({ machine: "../etc", status: "exploded", q: "x".repeat(500) })).toEqual({
      status: "active",
    });
  });
});
