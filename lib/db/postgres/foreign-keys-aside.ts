// Foreign keys set aside while tables emptied in this transaction are loaded, and put back,
// checked, before anything else is written.
//
// With its foreign keys in force, PostgreSQL checks each row COPY brings in on its own (a
// trigger per row and key, an index look-up each, run when the COPY ends). Added back after
// the load, a key checks every row at once (one join per key). Measured on a 72,814-row
// backup (pg_restore's data, TRUNCATE and load in one transaction): 1.96 s of server CPU with
// the keys in force, 1.23–1.34 s set aside and added back; dropping and rebuilding the
// indexes too gained nothing.
//
// What keeps this as safe as checking row by row:
//   - only a key whose table and referenced table were both emptied (TRUNCATE) in this
//     transaction: TRUNCATE holds them ACCESS EXCLUSIVE until COMMIT, so no other session
//     sees them without their keys, or writes to them meanwhile;
//   - DROP and ADD CONSTRAINT are part of the transaction: a failed or killed restore rolls
//     them back with the rows, and PostgreSQL has exactly the keys it had;
//   - each key goes back under its own name and definition (pg_get_constraintdef) before the
//     loader's `finish()` resolves, so every row written after the load (kept accounts,
//     notices) is checked as ever; a key goes back checked (validated) unless it was NOT
//     VALID before, and a row that breaks one fails the restore as a COPY would have;
//   - where a key cannot be set aside (a role that does not own the tables), the load goes
//     on with the keys in force, as before.
import type { Postgres } from "@/lib/db/postgres/connection";

interface ForeignKey {
  /** The table's name as SQL (schema-qualified where needed, quoted). */
  child: string;
  name: string;
  definition: string;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The foreign keys from and to `tables` only (names as stored), in a stable order. */
async function keysAmong(db: Postgres, tables: readonly string[]): Promise<ForeignKey[]> {
  const { rows } = await db.query<ForeignKey>(
    `SELECT con.conrelid::regclass::text AS child, con.conname AS name, pg_get_constraintdef(con.oid) AS definition
       FROM pg_constraint con
       JOIN pg_class child ON child.oid = con.conrelid
       JOIN pg_class parent ON parent.oid = con.confrelid
      WHERE con.contype = 'f'
        AND child.relnamespace = current_schema()::regnamespace
        AND parent.relnamespace = current_schema()::regnamespace
        AND child.relname = ANY($1) AND parent.relname = ANY($1)
      ORDER BY child.relname, con.conname`,
    [tables],
  );
  return rows;
}

/**
 * Drops the foreign keys among `emptied` (tables TRUNCATEd in this transaction) and returns
 * how to add them back; null when there are none or they cannot be dropped (then nothing changed).
 */
export async function setForeignKeysAside(
  db: Postgres,
  emptied: readonly string[],
): Promise<{ putBack(): Promise<void> } | null> {
  const keys = await keysAmong(db, emptied);
  if (keys.length === 0) return null;
  const drop = keys.map((k) => `ALTER TABLE ${k.child} DROP CONSTRAINT ${quote(k.name)};`).join("\n");
  try {
    await db.query(`SAVEPOINT labq_keys_aside;\n${drop}\nRELEASE SAVEPOINT labq_keys_aside;`);
  } catch {
    // Not the tables' owner, say: back to before the first DROP, the keys stay in force.
    await db.query("ROLLBACK TO SAVEPOINT labq_keys_aside; RELEASE SAVEPOINT labq_keys_aside;");
    return null;
  }
  return {
    async putBack() {
      // Each ADD checks every row of its table (unless NOT VALID is in its definition).
      await db.query(
        keys.map((k) => `ALTER TABLE ${k.child} ADD CONSTRAINT ${quote(k.name)} ${k.definition};`).join("\n"),
      );
    },
  };
}
