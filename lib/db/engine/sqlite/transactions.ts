// Plain transactions in the common dialect on a SQLite file (the seam's SqlEngine, write-types.ts).
import { databasePath } from "@/lib/config";
import { beginReadOnly } from "@/lib/db/engine/sqlite/write";
import type { SqlEngine, SqlTransaction } from "@/lib/db/engine/write-types";
import { openSqlite, sqlRunner, withSqlite, type Sqlite } from "@/lib/db/sqlite";

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
    // The merge dry run's read-only transaction: one moment of the file, no writer kept waiting.
    beginRead: async () => beginReadOnly(file),
    runAlone: async (sql, params = []) => {
      withSqlite((db) => db.prepare(sql).run(...params), file);
    },
    reclaimSpace: async () => {},
  };
}
