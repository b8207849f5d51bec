// "PostgreSQL is exactly as it was": every row of every table but the audit history, and every
// sequence's position, as the server prints them (not through the code under test).
import { createHash } from "node:crypto";

import { withPostgres } from "@/lib/db/postgres/connection";

/** The audit history records refused and failed restores too, by design; it is not lab data. */
const LEFT_OUT = ["backup_event"];

export async function postgresContent(url: string): Promise<string> {
  return withPostgres(url, async (db) => {
    const tables = (
      await db.query<{ name: string }>(
        `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`,
      )
    ).rows.map((r) => r.name);
    const hash = createHash("sha256");
    for (const table of tables.filter((t) => !LEFT_OUT.includes(t))) {
      const quoted = `"${table.replaceAll('"', '""')}"`;
      const { rows } = await db.query<{ r: string }>(`SELECT row_to_json(t)::text AS r FROM ${quoted} t ORDER BY 1`);
      hash.update(`${table}\n${rows.map((row) => row.r).join("\n")}\n`);
    }
    // Each counter by the id it hands out next (setval(n) and setval(n + 1, false) are the same);
    // the audit history's own moves with every attempt, like its rows.
    const sequences = (
      await db.query<{ name: string }>(
        `SELECT sequencename AS name FROM pg_sequences
          WHERE schemaname = current_schema() AND sequencename <> 'backup_event_id_seq' ORDER BY 1`,
      )
    ).rows.map((r) => r.name);
    for (const name of sequences) {
      const { rows } = await db.query<{ next: string }>(
        `SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END AS next FROM "${name}"`,
      );
      hash.update(`${name} ${rows[0]!.next}\n`);
    }
    return hash.digest("hex");
  });
}
