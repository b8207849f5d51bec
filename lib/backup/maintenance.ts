// Maintenance mode: while a restore runs, a lock file in the data folder says so. It is
// shared by the server and the CLIs, created atomically, and ignored once the process
// that holds it is gone (a crash or SIGKILL never leaves the app stuck).
import fs from "node:fs";
import path from "node:path";

import { dataDir } from "@/lib/config";

export interface MaintenanceState {
  pid: number;
  operation: string;
  actor: string;
  startedAt: string;
  /** What is happening now, for the banner and the progress bar. */
  phase: string;
  /** 0–1 when known. */
  progress: number | null;
}

export const RETRY_AFTER_SECONDS = 30;

export function lockPath(): string {
  return path.join(dataDir(), "maintenance.lock.json");
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A lock file that cannot be read this long after it was written is a crash's half-written one. */
const UNREADABLE_LOCK_MS = 10_000;

/** The current maintenance state, or null; clears a lock left by a dead process, or left unreadable. */
export function readMaintenance(): MaintenanceState | null {
  let state: MaintenanceState;
  try {
    state = JSON.parse(fs.readFileSync(lockPath(), "utf8")) as MaintenanceState;
  } catch {
    // Written a moment ago by a process still writing it, or long ago by one that died mid-write.
    const written = fs.statSync(lockPath(), { throwIfNoEntry: false })?.mtimeMs;
    if (written !== undefined && Date.now() - written > UNREADABLE_LOCK_MS) fs.rmSync(lockPath(), { force: true });
    return null;
  }
  if (!processAlive(state.pid)) {
    fs.rmSync(lockPath(), { force: true });
    return null;
  }
  return state;
}

export class MaintenanceBusyError extends Error {
  constructor(readonly state: MaintenanceState) {
    super(
      `A ${state.operation} started by ${state.actor} at ${state.startedAt} is still running. Try again when it has finished.`,
    );
  }
}

export interface MaintenanceHandle {
  update(phase: string, progress?: number | null): void;
  release(): void;
}

export function enterMaintenance(operation: string, actor: string): MaintenanceHandle {
  fs.mkdirSync(dataDir(), { recursive: true });
  const file = lockPath();
  const state: MaintenanceState = {
    pid: process.pid,
    operation,
    actor,
    startedAt: new Date().toISOString(),
    phase: "starting",
    progress: 0,
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(state), { flag: "wx" });
      return handleFor(state, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const current = readMaintenance();
      if (current) throw new MaintenanceBusyError(current);
    }
  }
  throw new Error("Could not take the maintenance lock.");
}

function handleFor(state: MaintenanceState, file: string): MaintenanceHandle {
  let released = false;
  let lastWrite = 0;
  return {
    update(phase, progress = null) {
      if (released) return;
      state.phase = phase;
      state.progress = progress;
      const now = Date.now();
      if (now - lastWrite < 200 && progress !== 1) return;
      lastWrite = now;
      const temp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, JSON.stringify(state));
      fs.renameSync(temp, file);
    },
    release() {
      if (released) return;
      released = true;
      fs.rmSync(file, { force: true });
    },
  };
}

/**
 * A named lock beside the maintenance lock (`push` → DATA_DIR/push.lock.json) with the same
 * crash safety: null while another live process holds it; a dead holder's lock is taken over.
 */
export function tryLock(name: string): { release(): void } | null {
  fs.mkdirSync(dataDir(), { recursive: true });
  const file = path.join(dataDir(), `${name}.lock.json`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }), { flag: "wx" });
      return { release: () => fs.rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let holder = 0;
      try {
        holder = (JSON.parse(fs.readFileSync(file, "utf8")) as { pid: number }).pid;
      } catch {
        // Half-written or gone: treat as free.
      }
      if (holder && processAlive(holder)) return null;
      fs.rmSync(file, { force: true });
    }
  }
  return null;
}
