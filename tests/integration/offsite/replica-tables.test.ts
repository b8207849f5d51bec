// Litestream's bookkeeping tables (_litestream_seq, _litestream_lock), which the real binary
// creates in the database it replicates, stay out of storage figures, checks and snapshots.
import { afterEach, describe, expect, it } from "vitest";

import { modelStorage } from "@/lib/admin/stats";
import { writeSnapshot } from "@/lib/backup/snapshot";
import { findBrokenReferences } from "@/lib/db/engine/sqlite/foreign-keys";
import { withSqlite } from "@/lib/db/sqlite";
import type { Supervisor } from "@/lib/offsite/replica/supervisor";
import { contentHash, seededDatabase, tempDir } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { eventually, startReplicating } from "@/tests/support/replica";

const tables = (file: string) =>
  withSqlite(
    (db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[],
    file,
    {
      readonly: true,
    },
  );

let replication: Supervisor | undefined;
afterEach(async () => {
  await replication?.stop();
  setEnv({ BACKUP_REPLICA_URL: undefined });
});

describe("while Litestream replicates the live database", () => {
  it("leaves its own tables out of snapshots, storage shares and the foreign-key check", async () => {
    const db = seededDatabase(30);
    const before = contentHash(db);
    replication = startReplicating();
    await eventually(() => tables(db).includes("_litestream_seq"));

    const snapshot = `${tempDir()}/snapshot.sqlite3`;
    await writeSnapshot(snapshot, db);
    expect(tables(snapshot).filter((t) => t.startsWith("_litestream"))).toEqual([]);
    expect(contentHash(snapshot)).toBe(before);

    // Shares are of the pages SQLite uses for everything but Litestream's tables.
    const total = withSqlite(
      (live) =>
        live
          .prepare(
            "SELECT SUM(d.pgsize) FROM dbstat AS d LEFT JOIN sqlite_master AS m ON m.name = d.name WHERE d.aggregate = TRUE AND COALESCE(m.tbl_name, d.name) NOT LIKE '\\_litestream\\_%' ESCAPE '\\'",
          )
          .pluck()
          .get() as number,
      db,
      { readonly: true },
    );
    const models = await modelStorage(db);
    const bytes = models.reduce((sum, m) => sum + m.bytes, 0);
    expect(models.reduce((sum, m) => sum + m.share, 0)).toBeCloseTo((bytes / total) * 100, 6);
    expect(withSqlite((live) => findBrokenReferences(live), db, { readonly: true })).toBeNull();
  });
});
