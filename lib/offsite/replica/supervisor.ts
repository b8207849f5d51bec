// Runs `litestream replicate` beside the app and keeps it running: when it stops, it is
// started again after a pause that doubles with every failure in a row (1 s … 60 s), so a
// bucket that is down for an hour is retried every minute, not thousands of times.
import { spawn, type ChildProcess } from "node:child_process";

import type { ReplicaSettings } from "@/lib/config";
import { litestreamBinary } from "@/lib/offsite/replica/binary";
import { litestreamEnvironment } from "@/lib/offsite/replica/config-file";
import { writeReplicatorState, type ReplicatorState } from "@/lib/offsite/replica/state";

const FIRST_PAUSE_MS = 1000;
const LONGEST_PAUSE_MS = 60_000;
/** A run this long counts as healthy: the next failure starts the pauses from the beginning. */
const HEALTHY_RUN_MS = 60_000;

export interface Supervisor {
  /** Litestream is about to stop with the rest (Ctrl-C reaches the whole process group): no restart. */
  shuttingDown(): void;
  /** Stops Litestream (SIGTERM: it ships what it has not yet shipped, then exits). */
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  configFile: string;
  settings: ReplicaSettings;
  /** Lines Litestream prints (default: to this process's stderr). */
  log?: (line: string) => void;
}

export function superviseReplication({
  configFile,
  settings,
  log = (l) => process.stderr.write(`${l}\n`),
}: SupervisorOptions): Supervisor {
  let child: ChildProcess | null = null;
  let stopping = false;
  let failuresInARow = 0;
  let timer: NodeJS.Timeout | undefined;
  const state: ReplicatorState = {
    state: "starting",
    pid: null,
    supervisorPid: process.pid,
    since: new Date().toISOString(),
    restarts: 0,
    lastExit: null,
  };
  const update = (changes: Partial<ReplicatorState>) => {
    Object.assign(state, changes);
    writeReplicatorState(state);
  };

  const start = () => {
    const startedAt = Date.now();
    let lastLine = "";
    const proc = spawn(litestreamBinary(), ["replicate", "-config", configFile], {
      env: litestreamEnvironment(settings),
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
        // Litestream logs every shipped segment; only a warning or an error says why it stopped.
        if (/level=(ERROR|WARN)/.test(line) || !/^time=/.test(line)) lastLine = line;
        // Every shipped WAL segment is logged at INFO: ten lines a second while writing.
        if (!/msg="(write wal segment|wal segment written)"/.test(line)) log(`[litestream] ${line}`);
      }
    };
    proc.stdout!.on("data", relay);
    proc.stderr!.on("data", relay);
    proc.once("spawn", () => update({ state: "running", pid: proc.pid ?? null, since: new Date().toISOString() }));
    proc.once("error", (error) => (lastLine = error.message));
    proc.once("close", (code, signal) => {
      child = null;
      const why = lastLine.replace(/^time=\S+ level=\S+ /, "");
      const detail = `Litestream stopped (${signal ?? `exit code ${code}`})${why ? `: ${why}` : ""}`;
      if (stopping) {
        update({ state: "stopped", pid: null, since: new Date().toISOString() });
        return;
      }
      failuresInARow = Date.now() - startedAt >= HEALTHY_RUN_MS ? 1 : failuresInARow + 1;
      const pause = Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (failuresInARow - 1));
      log(`${detail}. Starting it again in ${pause / 1000} s.`);
      update({
        state: "restarting",
        pid: null,
        since: new Date().toISOString(),
        restarts: state.restarts + 1,
        lastExit: { at: new Date().toISOString(), detail },
      });
      timer = setTimeout(start, pause);
    });
  };
  start();

  return {
    shuttingDown() {
      stopping = true;
      clearTimeout(timer);
    },
    stop() {
      stopping = true;
      clearTimeout(timer);
      const running = child;
      if (!running) {
        update({ state: "stopped", pid: null, since: new Date().toISOString() });
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        running.once("close", () => resolve());
        running.kill("SIGTERM");
      });
    },
  };
}
