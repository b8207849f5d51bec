// The supervisor keeps Litestream running: killed, it is started again and the restart is
// counted for Manage Storage; stopped on purpose, it stays stopped.
import { afterEach, describe, expect, it } from "vitest";

import { readReplicatorState } from "@/lib/offsite/replica/state";
import type { Supervisor } from "@/lib/offsite/replica/supervisor";
import { seededDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { eventually, startReplicating } from "@/tests/support/replica";

let replication: Supervisor | undefined;
afterEach(async () => {
  await replication?.stop();
  setEnv({ BACKUP_REPLICA_URL: undefined });
});

describe("the replication supervisor", () => {
  it("starts Litestream again after it is killed, and says why it stopped", async () => {
    seededDatabase(5);
    replication = startReplicating();
    const first = await eventually(() => (readReplicatorState()?.state === "running" ? readReplicatorState() : null));
    process.kill(first.pid!, "SIGKILL");
    const again = await eventually(() => {
      const state = readReplicatorState();
      return state?.state === "running" && state.pid !== first.pid ? state : null;
    });
    expect(again.restarts).toBe(1);
    expect(again.lastExit?.detail).toBe("Litestream stopped (SIGKILL)");

    await replication.stop();
    replication = undefined;
    expect(readReplicatorState()).toEqual(expect.objectContaining({ state: "stopped", pid: null, restarts: 1 }));
  });
});
