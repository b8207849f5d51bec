// The supervisor keeps Litestream running: killed, it is started again and the restart is
// counted for Manage Storage; failing, it is retried after pauses that double; stopped on
// purpose (or shutting down with the app), it stays stopped, after shipping what was left.
import fs from "node:fs";

import { afterEach, describe, expect, it, vi } from "vitest";

import { databasePath, replicaSettings } from "@/lib/config";
import { withSqlite } from "@/lib/db/sqlite";
import { writeLitestreamConfig } from "@/lib/offsite/replica/config-file";
import { replicaCopy } from "@/lib/offsite/replica/source";
import { readReplicatorState } from "@/lib/offsite/replica/state";
import { replicaStatus } from "@/lib/offsite/replica/status";
import { superviseReplication, type Supervisor } from "@/lib/offsite/replica/supervisor";
import { contentHash, seededDatabase, tempDir } from "@/tests/support/db";
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

  it("starts the pauses from 1 s again after Litestream ran for a minute", async () => {
    seededDatabase(5);
    const { supervisor, lines } = supervise();
    replication = supervisor;
    const waits = () => lines.filter((l) => l.includes("Starting it again"));
    const running = (other?: number) =>
      eventually(() => {
        const state = readReplicatorState();
        return state?.state === "running" && state.pid !== other ? state : null;
      });
    // Killed at once, twice: the second pause doubles.
    const first = await running();
    process.kill(first.pid!, "SIGKILL");
    const second = await running(first.pid!);
    process.kill(second.pid!, "SIGKILL");
    const third = await running(second.pid!);
    // The third run lasts a minute (the clock moved on), then is killed: back to 1 s.
    const now = Date.now.bind(Date);
    const clock = vi.spyOn(Date, "now").mockImplementation(() => now() + 61_000);
    try {
      process.kill(third.pid!, "SIGKILL");
      await eventually(() => waits().length >= 3);
    } finally {
      clock.mockRestore();
    }
    expect(waits().map((l) => /again in (\d+) s/.exec(l)?.[1])).toEqual(["1", "2", "1"]);
  });
});

/** Starts the supervisor on `configFile` (Litestream's own file, or one that is not there), collecting what it logs. */
function supervise(configFile?: string) {
  setEnv({ BACKUP_REPLICA_URL: `file://${tempDir()}/replica` });
  const settings = replicaSettings()!;
  const lines: string[] = [];
  const supervisor = superviseReplication({
    configFile: configFile ?? writeLitestreamConfig(databasePath(), settings),
    settings,
    log: (l) => lines.push(l),
  });
  return { supervisor, lines };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the replication supervisor, when Litestream cannot run", () => {
  it("waits 1 s, then 2 s, then 4 s between attempts, counts each, and keeps Litestream's reason", async () => {
    seededDatabase(2);
    const missing = `${tempDir()}/no-such-litestream.yml`;
    const { supervisor, lines } = supervise(missing);
    replication = supervisor;
    const waits = () => lines.filter((l) => l.includes("Starting it again"));
    await eventually(() => waits().length >= 3, 20_000);
    expect(
      waits()
        .slice(0, 3)
        .map((l) => /again in (\d+) s/.exec(l)?.[1]),
    ).toEqual(["1", "2", "4"]);
    expect(waits()[0]).toMatch(
      /^Litestream stopped \(exit code 1\): .*config file not found: .*no-such-litestream\.yml/,
    );
    const state = readReplicatorState()!;
    expect(state).toEqual(
      expect.objectContaining({
        state: "restarting",
        pid: null,
        restarts: 3,
        lastExit: { at: expect.any(String), detail: expect.stringMatching(/^Litestream stopped \(exit code 1\): /) },
      }),
    );
    // Litestream's own words reach the log too, marked as Litestream's.
    expect(lines.some((l) => l.startsWith("[litestream] ") && l.includes("config file not found"))).toBe(true);

    // Stopped while it waits: it stays stopped.
    await supervisor.stop();
    replication = undefined;
    expect(readReplicatorState()).toEqual(expect.objectContaining({ state: "stopped", pid: null, restarts: 3 }));
    await pause(4500);
    expect(readReplicatorState()).toEqual(expect.objectContaining({ state: "stopped", restarts: 3 }));
    expect(waits()).toHaveLength(3);
  });

  it("quotes Litestream's error record without its time and level", async () => {
    seededDatabase(2);
    const config = `${tempDir()}/litestream.yml`;
    fs.writeFileSync(config, "dbs:\n  - path: /tmp/x.sqlite3\n    replicas:\n      - type: bogus\n");
    const { supervisor } = supervise(config);
    replication = supervisor;
    const state = await eventually(() => readReplicatorState()?.lastExit && readReplicatorState());
    expect(state.lastExit!.detail).toBe(
      'Litestream stopped (exit code 1): msg="failed to run" error="unknown replica type in config: \\"bogus\\""',
    );
  });
});

describe("the replication supervisor, stopping", () => {
  it("does not start Litestream again once the app is shutting down (Ctrl-C reaches Litestream too)", async () => {
    seededDatabase(3);
    replication = startReplicating();
    const running = await eventually(() => (readReplicatorState()?.state === "running" ? readReplicatorState() : null));
    replication.shuttingDown();
    process.kill(running.pid!, "SIGTERM");
    await eventually(() => readReplicatorState()?.state === "stopped");
    await pause(1500);
    expect(readReplicatorState()).toEqual(expect.objectContaining({ state: "stopped", pid: null, restarts: 0 }));
  });

  it("ships the last change before Litestream exits on stop", async () => {
    seededDatabase(5);
    replication = startReplicating();
    await eventually(async () => (await replicaStatus({ fresh: true }))?.window);
    withSqlite(
      (db) => db.exec("UPDATE calendarEditor_machine SET description = 'changed just before the stop'"),
      databasePath(),
    );
    await replication.stop();
    replication = undefined;
    // Stopped on purpose: no reason to report, unlike an app that stopped without a word.
    expect(readReplicatorState()).toEqual(expect.objectContaining({ state: "stopped", pid: null, lastExit: null }));
    const copy = await replicaCopy(undefined);
    expect(contentHash(copy)).toBe(contentHash(databasePath()));
  });

  it("relays Litestream's lines marked as its own, without a line per shipped WAL segment", async () => {
    seededDatabase(3);
    const { supervisor, lines } = supervise();
    replication = supervisor;
    await eventually(() => lines.some((l) => l.includes("snapshot written")));
    for (let i = 0; i < 5; i++) {
      withSqlite((db) => db.exec(`UPDATE calendarEditor_machine SET description = 'write ${i}'`), databasePath());
      await pause(250);
    }
    await replication.stop();
    replication = undefined;
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\[litestream\] /);
    expect(lines.some((l) => /msg="replicating to"/.test(l))).toBe(true);
    expect(lines.filter((l) => /write wal segment|wal segment written/.test(l))).toEqual([]);
  });
});
