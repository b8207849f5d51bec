// What the supervisor (in the `npm start` process) tells the server about Litestream: a small
// JSON file in the data folder, since the two are separate processes. A process that died
// without a word (kill -9) leaves a file naming a process that no longer exists.
import fs from "node:fs";
import path from "node:path";

import { dataDir } from "@/lib/config";

export type SupervisorState = "starting" | "running" | "restarting" | "stopped";

export interface ReplicatorState {
  state: SupervisorState;
  /** Litestream's process id while it runs. */
  pid: number | null;
  /** The supervising process (npm start); when it is gone, so is the supervision. */
  supervisorPid: number;
  since: string;
  restarts: number;
  /** Why Litestream last stopped (exit code and its last line of output), when it did. */
  lastExit: { at: string; detail: string } | null;
}

export function stateFile(): string {
  return path.join(dataDir(), "litestream-state.json");
}

export function writeReplicatorState(state: ReplicatorState): void {
  const file = stateFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.partial`, JSON.stringify(state));
  fs.renameSync(`${file}.partial`, file);
}

function alive(pid: number | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The supervisor's last word, or null when nothing ever started Litestream here. A dead supervisor reads as stopped. */
export function readReplicatorState(): ReplicatorState | null {
  let state: ReplicatorState;
  try {
    state = JSON.parse(fs.readFileSync(stateFile(), "utf8")) as ReplicatorState;
  } catch {
    return null;
  }
  if (state.state !== "stopped" && !(alive(state.supervisorPid) && (state.state !== "running" || alive(state.pid)))) {
    return {
      ...state,
      state: "stopped",
      pid: null,
      lastExit: state.lastExit ?? { at: state.since, detail: "The app stopped without shutting Litestream down." },
    };
  }
  return state;
}
