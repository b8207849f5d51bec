// Demo data on PostgreSQL (what `npm start` loads into an empty database): the same records the
// SQLite seeder writes, through the app's Prisma client, in one transaction.
import { afterAll, beforeAll, expect, it } from "vitest";

import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { prisma } from "@/lib/db/prisma";
import { expectedCounts, generateDataset } from "@/lib/seed/generate";
import { backedUpRowTotal, seedDemoDataOnPostgres } from "@/lib/seed/seed-postgres";
import { setEnv } from "@/tests/support/env";
import { describeOnPostgres, freshPostgresDatabase } from "@/tests/support/postgres";

const savedUrl = process.env.DATABASE_URL;
const SCALE = 400;

async function countsPerLabel(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const m of BACKUP_MODELS) {
    const [{ n }] = await prisma().$queryRawUnsafe<[{ n: bigint }]>(`SELECT COUNT(*) AS n FROM "${m.table}"`);
    counts[m.label] = Number(n);
  }
  return counts;
}

describeOnPostgres("seeding demo data into PostgreSQL", () => {
  beforeAll(async () => {
    await freshPostgresDatabase();
  });
  afterAll(async () => {
    await prisma().$disconnect();
    setEnv({ DATABASE_URL: savedUrl });
  });

  it("loads every entity with the expected counts, the follow links, and sequences past the highest id", async () => {
    expect(await backedUpRowTotal(prisma())).toBe(0);

    const loaded = await seedDemoDataOnPostgres(prisma(), SCALE);

    expect(loaded).toEqual(expectedCounts(SCALE));
    expect(await countsPerLabel()).toEqual(expectedCounts(SCALE));
    const [{ links }] = await prisma().$queryRawUnsafe<[{ links: bigint }]>(
      'SELECT COUNT(*) AS links FROM "_FollowedPresets"',
    );
    expect(Number(links)).toBeGreaterThan(0);
    const user = await prisma().user.create({ data: { username: "after-the-seed", password: "!" } });
    expect(user.id).toBe(expectedCounts(SCALE)["auth.User"]! + 1);
  });

  it("keeps the generated values: text, JSON as written and timestamps", async () => {
    const first = [...generateDataset(SCALE, 1)].find((r) => r.model === "calendarEditor.archivedmeasurement")!;
    const [stored] = await prisma().$queryRawUnsafe<{ title: string; snapshot: string | null; archived: string }[]>(
      `SELECT title, preset_snapshot::text AS snapshot,
              to_char(archived_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS archived
         FROM "calendarEditor_archivedmeasurement" WHERE id = $1`,
      first.pk,
    );
    expect(stored!.title).toBe(first.fields.title);
    expect(stored!.archived).toBe(new Date(first.fields.archived_at as string).toISOString());
    expect(stored!.snapshot).toBe(
      first.fields.preset_snapshot == null ? null : JSON.stringify(first.fields.preset_snapshot),
    );
    const staff = await prisma().user.count({ where: { isStaff: true } });
    expect(staff).toBeGreaterThan(0);
  });

  it("loads nothing when it fails part way: seeding a second time breaks a primary key and rolls back", async () => {
    const before = await backedUpRowTotal(prisma());

    await expect(seedDemoDataOnPostgres(prisma(), SCALE)).rejects.toThrow();

    expect(await backedUpRowTotal(prisma())).toBe(before);
  });

  it("replaces what the tables hold when asked, ids starting again at 1", async () => {
    await prisma().user.create({ data: { username: "not-in-the-demo-data", password: "!" } });

    const loaded = await seedDemoDataOnPostgres(prisma(), 100, 2, { replace: true });

    expect(await countsPerLabel()).toEqual(loaded);
    expect(loaded).toEqual(expectedCounts(100));
    expect(await prisma().user.count({ where: { username: "not-in-the-demo-data" } })).toBe(0);
    expect((await prisma().queueEntry.findFirstOrThrow({ orderBy: { id: "asc" } })).id).toBe(1);
  });
});
