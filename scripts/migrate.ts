// npm run db:migrate
// Applies the schema migrations to DATABASE_URL. SQLite: Prisma's `migrate deploy`, as ever.
// PostgreSQL: our own runner (Prisma's fails through the driver adapter; lib/db/postgres/migrate.ts).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

import { runCli } from "@/lib/cli";
import { databaseEngine, databaseUrl } from "@/lib/config";
import { describePostgresUrl } from "@/lib/db/postgres/connection";
import { migratePostgres, postgresMigrations } from "@/lib/db/postgres/migrate";
import { projectRoot } from "@/lib/db/project-root";
import { formatDuration } from "@/lib/format";

const require = createRequire(import.meta.url);

runCli(async () => {
  const url = databaseUrl();
  if (databaseEngine(url) === "sqlite") {
    const cli = require.resolve("prisma/build/index.js");
    return (
      spawnSync(process.execPath, [cli, "migrate", "deploy"], { cwd: projectRoot(), stdio: "inherit" }).status ?? 1
    );
  }
  const known = postgresMigrations();
  const started = performance.now();
  const applied = await migratePostgres(url, known);
  for (const migration of applied) console.log(`Applied ${migration.name} (${formatDuration(migration.milliseconds)})`);
  const where = describePostgresUrl(url);
  console.log(
    applied.length === 0
      ? `${where} is up to date (${known.length} migrations).`
      : `Applied ${applied.length} of ${known.length} migrations to ${where} in ${formatDuration(performance.now() - started)}.`,
  );
});
