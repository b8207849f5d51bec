// Lab data on PostgreSQL for tests: the shared generator seeds a SQLite file (as for every
// SQLite test), then postgres-copy.ts copies it row for row into a migrated PostgreSQL database.
import { seededDatabase } from "@/tests/support/db";
import { freshPostgresDatabase } from "@/tests/support/postgres";
import { copySqliteToPostgres } from "@/tests/support/postgres-copy";

export { copySqliteToPostgres } from "@/tests/support/postgres-copy";

/** The same seeded lab data in a SQLite file and a PostgreSQL database (not the app's DATABASE_URL). */
export async function seededOnBothEngines(scale: number, seed = 1): Promise<{ file: string; url: string }> {
  const file = seededDatabase(scale, { activate: false, seed });
  const url = await freshPostgresDatabase({ activate: false });
  await copySqliteToPostgres(file, url);
  return { file, url };
}
