// Plain `pg` connections to a PostgreSQL database named by a postgresql:// URL: for the
// migration runner now, and for the bulk paths (COPY) the backup engine will use.
import pg from "pg";

/** A connection to a PostgreSQL database; close it with `end()`. */
export type Postgres = pg.Client;

/**
 * The URL without its password, for messages: a URL may carry credentials, and those stay
 * out of logs and errors.
 */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    parsed.search = "";
    return parsed.toString();
  } catch {
    return "the PostgreSQL database (its URL does not parse)";
  }
}

export async function openPostgres(url: string): Promise<Postgres> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot connect to ${describePostgresUrl(url)}: ${reason}`);
  }
  return client;
}

/** Runs `work` on a connection of its own, closed afterwards whatever happens. */
export async function withPostgres<T>(url: string, work: (db: Postgres) => Promise<T>): Promise<T> {
  const db = await openPostgres(url);
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}
