// Plain transactions in the common dialect on a SQLite file (the seam's SqlEngine, write-types.ts).
import { databasePath } from "@/lib/config";
import type { SqlEngine, SqlRunner, SqlTransaction } from "@/lib/db/engine/write-types";
import { openSqlite, sqlRunner, type Sqlite } from "@/lib/db/sqlite";

function transaction(db: Sqlite): SqlTransaction {
  return {
    ...sqlRunner(db),
    commit: async () => {
      db.exec("COMMIT");
    },
    close: async () => {
      if (!db.open) return;
      if (db.inTransaction) db.exec("ROLLBACK");
      db.close();
    },
  };
}

export function sqliteSqlEngine(url: string): SqlEngine {
  const file = databasePath(url);
  return {
    kind: "sqlite",
    async beginWrite() {
      const db = openSqlite(file, { mustExist: true });
      try {
        // IMMEDIATE takes the write lock now, not at the first write: no writer slips in
        // between. Readers go on (WAL), seeing the last commit.
        db.exec("BEGIN IMMEDIATE");
      } catch (error) {
        db.close();
        throw error;
      }
      return transaction(db);
    },
    async beginRead(): Promise<SqlRunner & { close(): Promise<void> }> {
      const db = openSqlite(file, { readonly: true });
      try {
        db.exec("BEGIN");
        // A read transaction's snapshot is taken at its first read, not at BEGIN.
        db.prepare("SELECT count(*) FROM sqlite_master").get();
      } catch (error) {
        db.close();
        throw error;
      }
      return transaction(db);
    },
    reclaimSpace: async () => {},
  };
}
