// The app's Prisma client on PostgreSQL (DATABASE_URL=postgresql://…): the same queries work,
// and what the columns keep is what the backups need — microseconds and JSON text as written.
import { afterAll, beforeAll, expect, it } from "vitest";

import { prisma } from "@/lib/db/prisma";
import { setEnv } from "@/tests/support/env";
import { describeOnPostgres, freshPostgresDatabase } from "@/tests/support/postgres";

const savedUrl = process.env.DATABASE_URL;

describeOnPostgres("the app's Prisma client on PostgreSQL", () => {
  beforeAll(async () => {
    await freshPostgresDatabase();
  });
  afterAll(async () => {
    await prisma().$disconnect();
    setEnv({ DATABASE_URL: savedUrl });
  });

  it("creates a user and a queue entry and reads them back as written", async () => {
    const joined = new Date("2024-03-04T05:06:07.891Z");
    const user = await prisma().user.create({
      data: { username: "ada", password: "pbkdf2_sha256$1$salt$hash", isStaff: true, dateJoined: joined },
    });
    const entry = await prisma().queueEntry.create({
      data: {
        userId: user.id,
        title: "Hall bar at 10 mK",
        requiredMinTemp: 0.01,
        estimatedDurationHours: 12.5,
        submittedAt: new Date("2024-03-05T00:00:00.001Z"),
      },
    });

    const back = await prisma().user.findUniqueOrThrow({ where: { username: "ada" }, include: { queueEntries: true } });

    expect(back).toMatchObject({ id: user.id, isStaff: true, isActive: true, firstName: "", dateJoined: joined });
    expect(back.queueEntries).toEqual([entry]);
    expect(back.queueEntries[0]).toMatchObject({
      status: "queued",
      requestedMeasurementDays: 2,
      requiredMaxTemp: null,
      estimatedDurationHours: 12.5,
      submittedAt: new Date("2024-03-05T00:00:00.001Z"),
    });
    expect(await prisma().queueEntry.count({ where: { user: { username: "ada" } } })).toBe(1);
  });

  it("keeps a timestamp's microseconds, which a JavaScript Date cannot hold, through Prisma's writes", async () => {
    const user = await prisma().user.create({ data: { username: "grace", password: "x" } });
    const entry = await prisma().queueEntry.create({
      data: { userId: user.id, title: "Noise floor", requiredMinTemp: 1.5, estimatedDurationHours: 3 },
    });
    // As a restore writes a Django backup's value: with microseconds.
    await prisma()
      .$executeRaw`UPDATE "calendarEditor_queueentry" SET submitted_at = '2024-05-06T07:08:09.123456Z' WHERE id = ${entry.id}`;

    await prisma().queueEntry.update({ where: { id: entry.id }, data: { title: "Noise floor, again" } });

    const stored = await prisma().$queryRaw<{ submitted_at: string }[]>`
      SELECT to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS submitted_at
        FROM "calendarEditor_queueentry" WHERE id = ${entry.id}`;
    expect(stored).toEqual([{ submitted_at: "2024-05-06T07:08:09.123456" }]);
    const read = await prisma().queueEntry.findUniqueOrThrow({ where: { id: entry.id } });
    expect(read.submittedAt).toEqual(new Date("2024-05-06T07:08:09.123Z"));
    expect(read.title).toBe("Noise floor, again");
  });

  it("stores JSON as the text it was given, keys in their order", async () => {
    const user = await prisma().user.create({ data: { username: "hedy", password: "x" } });
    const snapshot = { zeta: 1, alpha: { b: 2, a: [3, "x"] } };
    const archived = await prisma().archivedMeasurement.create({
      data: { userId: user.id, title: "Sweep", presetSnapshot: snapshot },
    });

    const stored = await prisma().$queryRaw<{ text: string }[]>`
      SELECT preset_snapshot::text AS text FROM "calendarEditor_archivedmeasurement" WHERE id = ${archived.id}`;
    expect(stored).toEqual([{ text: JSON.stringify(snapshot) }]);
    const read = await prisma().archivedMeasurement.findUniqueOrThrow({ where: { id: archived.id } });
    expect(Object.keys(read.presetSnapshot as object)).toEqual(["zeta", "alpha"]);
  });

  it("runs an interactive transaction and rolls it back whole on an error", async () => {
    await expect(
      prisma().$transaction(async (tx) => {
        await tx.user.create({ data: { username: "rolled-back", password: "x" } });
        await tx.user.create({ data: { username: "rolled-back", password: "x" } });
      }),
    ).rejects.toThrow(/Unique constraint failed/);
    expect(await prisma().user.count({ where: { username: "rolled-back" } })).toBe(0);
  });
});
