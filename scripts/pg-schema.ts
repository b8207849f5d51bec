// npm run db:pg-schema [-- --database postgresql://… [--from-ref REF]]
//
// Writes prisma/postgres/schema.prisma from prisma/schema.prisma (the one source). When the
// newest SQLite migration has no PostgreSQL twin yet, also writes the twin, of the same name:
// Prisma's diff from PostgreSQL's schema as committed at REF (default HEAD) to the new one.
// Prisma's diff needs a PostgreSQL server to connect to (it changes nothing there): --database,
// or DATABASE_URL when that is one; `scripts/pg-test-cluster.sh start` prints one.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

import { cliArgs, runCli } from "@/lib/cli";
import { childEnvironment, databaseEngine, databaseUrl } from "@/lib/config";
import { knownMigrations } from "@/lib/db/migrate";
import { POSTGRES_MIGRATIONS_DIR, postgresMigrations } from "@/lib/db/postgres/migrate";
import { POSTGRES_SCHEMA_PATH, postgresSchemaFrom } from "@/lib/db/postgres/schema-source";
import { projectRoot } from "@/lib/db/project-root";

const require = createRequire(import.meta.url);

runCli(async () => {
  const { values } = cliArgs({ database: { type: "string" }, "from-ref": { type: "string" } });
  const root = projectRoot();
  const target = path.join(root, POSTGRES_SCHEMA_PATH);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, postgresSchemaFrom(fs.readFileSync(path.join(root, "prisma/schema.prisma"), "utf8")));
  console.log(`Wrote ${POSTGRES_SCHEMA_PATH}.`);

  const sqlite = knownMigrations(root);
  const postgres = postgresMigrations(root).map((m) => m.name);
  const orphans = postgres.filter((name) => !sqlite.includes(name));
  if (orphans.length > 0) throw new Error(`PostgreSQL migrations without a SQLite one: ${orphans.join(", ")}.`);
  const missing = sqlite.filter((name) => !postgres.includes(name));
  if (missing.length === 0) {
    console.log(`Each of SQLite's ${sqlite.length} migrations has its PostgreSQL twin.`);
    return;
  }
  if (missing.length > 1 || missing[0] !== sqlite.at(-1)) {
    throw new Error(
      `Only the newest SQLite migration can be twinned; these lack a PostgreSQL twin: ${missing.join(", ")}.`,
    );
  }
  const server = values.database ?? (databaseEngine() === "postgresql" ? databaseUrl() : undefined);
  if (!server) {
    throw new Error(
      "Writing the PostgreSQL twin of a migration needs a PostgreSQL server for Prisma's diff: " +
        '--database "$(scripts/pg-test-cluster.sh start)".',
    );
  }
  const name = missing[0]!;
  const sql = diffFromCommitted(root, values["from-ref"] ?? "HEAD", server, postgres.length === 0);
  const file = path.join(root, POSTGRES_MIGRATIONS_DIR, name, "migration.sql");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, sql);
  console.log(
    `Wrote ${path.relative(root, file)}. Read it before committing: a NOT NULL column added without a default ` +
      "needs a value for existing rows (see the twin of 20261125090000_original_schema).",
  );
});

/** Prisma's SQL from PostgreSQL's schema as committed at `ref` (or from nothing) to the current one. */
function diffFromCommitted(root: string, ref: string, server: string, fromEmpty: boolean): string {
  const from = ["--from-empty"];
  if (!fromEmpty) {
    const previous = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "labq-pg-schema-")), "schema.prisma");
    const committed = execFileSync("git", ["show", `${ref}:${POSTGRES_SCHEMA_PATH}`], { cwd: root, encoding: "utf8" });
    fs.writeFileSync(previous, committed);
    from.splice(0, 1, "--from-schema-datamodel", previous);
  }
  const cli = require.resolve("prisma/build/index.js");
  const args = [cli, "migrate", "diff", ...from, "--to-schema-datamodel", POSTGRES_SCHEMA_PATH, "--script"];
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    env: childEnvironment({ DATABASE_URL: server }),
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`prisma migrate diff failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}
