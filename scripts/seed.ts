// npm run db:seed -- --scale N [--seed S] [--replace]
// Loads deterministic demo data (~N queue entries) into DATABASE_URL (a SQLite file, or
// PostgreSQL through the Prisma client).
import { z } from "zod";

import { humanModelName } from "@/lib/backup/format/labels";
import { createTableLoader } from "@/lib/backup/restore/loader";
import { rowCounts } from "@/lib/backup/row-counts";
import { cliArgs, runCli } from "@/lib/cli";
import { databaseEngine, databasePath, databaseUrl } from "@/lib/config";
import { migrateDatabase } from "@/lib/db/migrate";
import { describePostgresUrl } from "@/lib/db/postgres/connection";
import { migratePostgres } from "@/lib/db/postgres/migrate";
import { prisma } from "@/lib/db/prisma";
import { openSqlite } from "@/lib/db/sqlite";
import { formatCount, formatDuration } from "@/lib/format";
import { seedDemoData } from "@/lib/seed/seed";
import { backedUpRowTotal, seedDemoDataOnPostgres } from "@/lib/seed/seed-postgres";

const Options = z.object({
  scale: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  seed: z.coerce.number().int().default(1),
  replace: z.boolean().default(false),
});

type Options = z.infer<typeof Options>;

function printCounts(counts: Record<string, number>, where: string, started: number): void {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  for (const [label, n] of Object.entries(counts))
    console.log(`${humanModelName(label).padEnd(28)} ${formatCount(n).padStart(10)}`);
  console.log(`Seeded ${formatCount(total)} rows into ${where} in ${formatDuration(performance.now() - started)}.`);
}

async function seedPostgres(url: string, options: Options): Promise<void> {
  const where = describePostgresUrl(url);
  await migratePostgres(url);
  try {
    const existing = await backedUpRowTotal(prisma());
    if (existing > 0 && !options.replace) {
      throw new Error(`${where} already holds ${formatCount(existing)} rows. Use --replace to wipe them first.`);
    }
    const started = performance.now();
    const counts = await seedDemoDataOnPostgres(prisma(), options.scale, options.seed, { replace: existing > 0 });
    printCounts(counts, where, started);
  } finally {
    await prisma().$disconnect();
  }
}

runCli(async () => {
  const { values } = cliArgs({ scale: { type: "string" }, seed: { type: "string" }, replace: { type: "boolean" } });
  const options = Options.parse(values);
  if (databaseEngine() === "postgresql") return seedPostgres(databaseUrl(), options);
  const file = databasePath();
  migrateDatabase(file);
  const existing = rowCounts(file).reduce((n, c) => n + c.rows, 0);
  if (existing > 0 && !options.replace) {
    throw new Error(`${file} already holds ${formatCount(existing)} rows. Use --replace to wipe them first.`);
  }
  const db = openSqlite(file);
  try {
    const started = performance.now();
    if (existing > 0) db.transaction(() => createTableLoader(db).deleteAll())();
    printCounts(seedDemoData(db, options.scale, options.seed), file, started);
  } finally {
    db.close();
  }
});
