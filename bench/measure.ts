// Measuring one piece of work: wall time and the peak resident memory of the process doing it.
import { spawn } from "node:child_process";
import fs from "node:fs";

import { childEnvironment } from "@/lib/config";

export interface Sample {
  seconds: number;
  /** Peak resident set size in bytes of the process doing the work; null when it could not be read. */
  peakRssBytes: number | null;
  /** Bytes written or read, when the work has an output file or a response body. */
  bytes?: number;
  /** Seconds per step the task reported (a restore's), in order. */
  phases?: Record<string, number>;
}

const SAMPLE_EVERY_MS = 5;

function statusField(pid: number, field: "VmRSS" | "VmHWM"): number | null {
  try {
    const match = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The process and every process below it (Linux /proc). */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const task of fs.readdirSync(`/proc/${out[i]}/task`)) {
        const children = fs.readFileSync(`/proc/${out[i]}/task/${task}/children`, "utf8").trim();
        if (children) out.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** Samples the largest resident set among `pid`'s process tree until stopped. */
export function rssSampler(pid: number) {
  let peak: number | null = null;
  const read = () => {
    for (const p of processTree(pid)) {
      const rss = statusField(p, "VmRSS");
      if (rss !== null && (peak === null || rss > peak)) peak = rss;
    }
  };
  read();
  const timer = setInterval(read, SAMPLE_EVERY_MS);
  return {
    stop(): number | null {
      clearInterval(timer);
      read();
      return peak;
    },
  };
}

/**
 * Runs an external command (the sqlite3 references). Its peak RSS is its high-water mark,
 * read until it exits; very short runs may finish before the first read.
 */
export function timeCommand(
  command: string,
  args: string[],
  options: { stdin?: string; stdout?: string } = {},
): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      stdio: [
        options.stdin ? fs.openSync(options.stdin, "r") : "ignore",
        options.stdout ? fs.openSync(options.stdout, "w") : "ignore",
        "pipe",
      ],
    });
    let peak: number | null = null;
    let stderr = "";
    const timer = setInterval(() => {
      const hwm = statusField(child.pid!, "VmHWM");
      if (hwm !== null) peak = Math.max(peak ?? 0, hwm);
    }, SAMPLE_EVERY_MS);
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`${command} ${args.join(" ")} failed (${code}): ${stderr}`));
      resolve({ seconds: (performance.now() - started) / 1000, peakRssBytes: peak });
    });
  });
}

export function median(samples: Sample[]): Sample {
  const sorted = [...samples].sort((a, b) => a.seconds - b.seconds);
  const mid = sorted[Math.floor(sorted.length / 2)]!;
  const peaks = samples.map((s) => s.peakRssBytes).filter((p): p is number => p !== null);
  // Memory: the worst of the runs, so a lucky run does not hide a peak.
  return { ...mid, peakRssBytes: peaks.length ? Math.max(...peaks) : null };
}

/**
 * Runs one bench task (bench/task.ts) in a child process of its own, with `env` over this
 * process's environment, and returns what it measured (the last line it prints).
 */
export function runTask(task: string, file: string, env: Record<string, string>): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/cli.mjs", "bench/task.ts", task, file], {
      env: childEnvironment(env),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").pop()!) as Sample)
        : reject(new Error(`bench task ${task} failed (${code})`)),
    );
  });
}
