// What the supervisor's state file says, read by the server: a supervisor or a Litestream that
// died without a word reads as stopped, never as replicating, and each state gives the banner
// and the status route their own reason. The state file is what `npm start` writes
// (lib/offsite/replica/state.ts); the listing behind the status is the real Litestream binary's.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import {
  readReplicatorState,
  stateFile,
  writeReplicatorState,
  type ReplicatorState,
} from "@/lib/offsite/replica/state";
import { REPLICA_PROBLEMS, replicaStatus } from "@/lib/offsite/replica/status";
import { seededDatabase, tempDir } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";

/** The id of a process that has ended (nothing answers to it any more). */
function deadPid(): number {
  return spawnSync("true").pid!;
}

let stand: ChildProcess | undefined;
/** A live process standing for Litestream in a state file (its id answers a signal 0). */
function livePid(): number {
  stand = spawn("sleep", ["60"], { stdio: "ignore" });
  return stand.pid!;
}

const SINCE = "2026-12-05T09:00:00.000Z";
function written(over: Partial<ReplicatorState>): ReplicatorState {
  const state: ReplicatorState = {
    state: "running",
    pid: null,
    supervisorPid: process.pid,
    since: SINCE,
    restarts: 2,
    lastExit: null,
    ...over,
  };
  writeReplicatorState(state);
  return state;
}

let replicaFolder: string;
beforeEach(() => {
  seededDatabase(3);
  replicaFolder = `${tempDir()}/replica`;
  setEnv({ BACKUP_REPLICA_URL: `file://${replicaFolder}` });
});
afterEach(() => {
  stand?.kill("SIGKILL");
  stand = undefined;
  setEnv({ BACKUP_REPLICA_URL: undefined });
});

describe("the supervisor's state, as the server reads it", () => {
  it("is nothing when no state was ever written, or the file is not the supervisor's", async () => {
    expect(readReplicatorState()).toBeNull();
    fs.mkdirSync(path.dirname(stateFile()), { recursive: true });
    fs.writeFileSync(stateFile(), "{ half a file");
    expect(readReplicatorState()).toBeNull();
    // The file's first status is not fresh, as a page's banner asks for it: nothing cached yet.
    expect(await replicaStatus()).toEqual(
      expect.objectContaining({ state: "off", reason: "replica-off", restarts: 0, lastExit: null }),
    );
  });

  it("reads a supervisor killed without a word (kill -9 of npm start) as stopped, saying so", async () => {
    written({ state: "running", pid: deadPid(), supervisorPid: deadPid() });
    expect(readReplicatorState()).toEqual({
      state: "stopped",
      pid: null,
      supervisorPid: expect.any(Number),
      since: SINCE,
      restarts: 2,
      lastExit: { at: SINCE, detail: "The app stopped without shutting Litestream down." },
    });
    const status = await replicaStatus({ fresh: true });
    expect(status).toEqual(
      expect.objectContaining({ state: "stopped", reason: "replica-stopped", lastExit: expect.anything() }),
    );
    expect(status!.problem).toMatch(/^Continuous replication has stopped: /);
  });

  it("reads a supervisor that died while restarting or starting Litestream as stopped too", () => {
    for (const state of ["restarting", "starting"] as const) {
      written({ state, supervisorPid: deadPid() });
      expect(readReplicatorState()?.state, state).toBe("stopped");
    }
  });

  it("reads 'running' as stopped when Litestream's process is gone or was never named, keeping why it last stopped", () => {
    const lastExit = { at: "2026-12-05T08:00:00.000Z", detail: "Litestream stopped (exit code 1)" };
    written({ state: "running", pid: deadPid(), lastExit });
    expect(readReplicatorState()).toEqual(expect.objectContaining({ state: "stopped", pid: null, lastExit }));
    written({ state: "running", pid: null });
    expect(readReplicatorState()).toEqual(expect.objectContaining({ state: "stopped", pid: null }));
  });

  it("keeps a stopped state as written, with no invented reason, whether or not its supervisor lives", () => {
    const state = written({ state: "stopped", supervisorPid: deadPid() });
    expect(readReplicatorState()).toEqual(state);
  });

  it("believes a live supervisor while it starts or restarts Litestream, and a live Litestream while it runs", () => {
    for (const state of ["starting", "restarting"] as const) {
      const pid = state === "starting" ? null : deadPid();
      const expected = written({ state, pid });
      expect(readReplicatorState(), state).toEqual(expected);
    }
    const running = written({ state: "running", pid: livePid() });
    expect(readReplicatorState()).toEqual(running);
  });
});

describe("the replica's problem, by the supervisor's state", () => {
  it("says Litestream is being restarted while the supervisor waits to start it again", async () => {
    written({ state: "restarting" });
    const status = await replicaStatus({ fresh: true });
    expect(status).toEqual(expect.objectContaining({ state: "restarting", reason: "replica-restarting", restarts: 2 }));
    expect(status!.problem).toMatch(/being started again/);
  });

  it("raises nothing while Litestream is starting and has shipped nothing yet", async () => {
    written({ state: "starting" });
    expect(await replicaStatus({ fresh: true })).toEqual({
      destination: replicaFolder,
      encrypted: false,
      state: "starting",
      restarts: 2,
      lastExit: null,
      lastShippedAt: null,
      lagMs: null,
      maxLagMs: 60_000,
      window: null,
      problem: null,
      reason: null,
    });
  });

  it("says the replica holds nothing when Litestream runs but nothing has reached the replica", async () => {
    written({ state: "running", pid: livePid() });
    expect(await replicaStatus({ fresh: true })).toEqual(
      expect.objectContaining({
        state: "running",
        window: null,
        lastShippedAt: null,
        lagMs: null,
        reason: "replica-empty",
        problem: REPLICA_PROBLEMS["replica-empty"],
      }),
    );
  });

  it("is news at once when Litestream's process changes, though the status is cached", async () => {
    written({ state: "restarting" });
    expect((await replicaStatus({ fresh: true }))!.reason).toBe("replica-restarting");
    written({ state: "running", pid: livePid() });
    expect((await replicaStatus())!.reason).toBe("replica-empty");
    written({ state: "stopped" });
    expect((await replicaStatus())!.reason).toBe("replica-stopped");
  });
});
