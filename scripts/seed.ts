// npm run db:seed -- --scale N [--seed S] [--replace]
// Loads deterministic demo data (~N queue entries) into DATABASE_URL.
import { z } from "zod";

import { createTableLoader } from "@/lib/backup/restore/loader";
import { rowCounts } from "@/lib/backup/row-counts";
import { cliArgs, runCli } from "@/lib/cli";
import { databasePath } from "@/lib/config";
import { migrateDatabase } from "@/lib/db/migrate";
import { openSqlite } from "@/lib/db/sqlite";
import { formatCount, formatDuration } from "@/lib/format";
import { seedDemoData } from "@/lib/seed/seed";

const Options = z.object({
  scale: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  seed: z.coerce.number().int().default(1),
  replace: z.boolean().default(false),
});

runCli(async () => {
  const { values } = cliArgs({ scale: { type: "string" }, seed: { type: "string" }, replace: { type: "boolean" } });
  const options = Options.parse(values);
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
    const counts = seedDemoData(db, options.scale, options.seed);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    for (const [label, n] of Object.entries(counts)) console.log(`${label.padEnd(40)} ${formatCount(n).padStart(10)}`);
    console.log(`Seeded ${formatCount(total)} rows into ${file} in ${formatDuration(performance.now() - started)}.`);
  } finally {
    db.close();
  }
});
