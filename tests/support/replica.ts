// The real Litestream binary replicating a test database to a file:// replica, started and
// stopped the way `npm start` does it (lib/offsite/replica).
import fs from "node:fs";
import path from "node:path";

import { databasePath, replicaSettings } from "@/lib/config";
import { writeLitestreamConfig } from "@/lib/offsite/replica/config-file";
import { replicaGenerations, windowOf } from "@/lib/offsite/replica/status";
import { superviseReplication, type Supervisor } from "@/lib/offsite/replica/supervisor";
import { tempDir } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";

/** Points BACKUP_REPLICA_URL at a new folder (or `url`) and starts Litestream on the active database. */
export function startReplicating(url = `file://${path.join(tempDir("labq-replica-"), "replica")}`): Supervisor {
  setEnv({ BACKUP_REPLICA_URL: url });
  const settings = replicaSettings()!;
  const configFile = writeLitestreamConfig(databasePath(), settings);
  return superviseReplication({ configFile, settings, log: () => {} });
}

/** Resolves once `check` holds, polling every 100 ms (rejects after `limitMs`). */
export async function eventually<T>(check: () => T | Promise<T>, limitMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error("gave up waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the replica holds the live file's newest write (the replica's times are whole seconds). */
export async function shipped(): Promise<void> {
  // Litestream opens the file in WAL mode once it starts.
  const wal = await eventually(() => fs.statSync(`${databasePath()}-wal`).mtimeMs);
  await eventually(
    async () => (windowOf(await replicaGenerations(replicaSettings()!))?.to.getTime() ?? 0) + 1000 > wal,
  );
  await pause(1200);
}
