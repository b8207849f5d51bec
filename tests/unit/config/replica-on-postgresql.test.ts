// The continuous replica is Litestream's copy of a SQLite file. On PostgreSQL BACKUP_REPLICA_URL
// does nothing: the app sees no replica (no status banner reading a SQLite file that is not
// there), and `npm start` is told the setting was not applied, to say so.
import { expect, it } from "vitest";

import { parseConfig } from "@/lib/config";

it("applies BACKUP_REPLICA_URL to a SQLite database only", () => {
  const sqlite = parseConfig({
    DATABASE_URL: "file:/srv/lab/db.sqlite3",
    BACKUP_REPLICA_URL: "s3://lab-backups/replica",
  });
  const postgres = parseConfig({
    DATABASE_URL: "postgresql://lab@127.0.0.1:5432/lab",
    BACKUP_REPLICA_URL: "s3://lab-backups/replica",
  });

  expect(sqlite.replica?.destination).toMatchObject({ kind: "s3", bucket: "lab-backups", prefix: "replica" });
  expect(sqlite.replicaNotApplied).toBeUndefined();
  expect(postgres.replica).toBeUndefined();
  expect(postgres.replicaNotApplied?.destination).toMatchObject({
    kind: "s3",
    bucket: "lab-backups",
    prefix: "replica",
  });
});

it("leaves both unset without BACKUP_REPLICA_URL", () => {
  const postgres = parseConfig({ DATABASE_URL: "postgresql://lab@127.0.0.1:5432/lab" });

  expect(postgres.replica).toBeUndefined();
  expect(postgres.replicaNotApplied).toBeUndefined();
});
