// A writer that commits one row at a time into a live database, in a process of its own (so
// a kill -9 hits it as it would hit the app), and reports every commit with its time: after
// a crash, the last reported commit against the last one that survived gives the data lost.
import { spawn, type ChildProcess } from "node:child_process";

import { sqliteDriverPath } from "@/lib/db/sqlite";

const WRITER = `
const Database = require(process.env.DRIVER);
const db = new Database(process.env.FILE, { fileMustExist: true });
db.pragma("busy_timeout = 5000");
const insert = db.prepare(
  "INSERT INTO calendarEditor_machine (name, min_temp, max_temp, cooldown_hours, created_at, updated_at) VALUES (?, 4, 300, 1, ?, ?)",
);
let n = 0;
function commit() {
  const now = new Date().toISOString();
  const { lastInsertRowid } = insert.run("crash-probe-" + ++n, now, now);
  process.stdout.write(lastInsertRowid + " " + Date.now() + "\\n");
  setTimeout(commit, Number(process.env.PAUSE_MS));
}
commit();
`;

export interface Writer {
  /** Commit times (ms since the epoch) by row id, as reported so far. */
  commits: Map<number, number>;
  process: ChildProcess;
  /** Resolves once `count` commits have been reported. */
  committed(count: number): Promise<void>;
}

export function startWriter(file: string, pauseMs = 2): Writer {
  const proc = spawn(process.execPath, ["-e", WRITER], {
    env: { ...process.env, DRIVER: sqliteDriverPath(), FILE: file, PAUSE_MS: String(pauseMs) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const commits = new Map<number, number>();
  let pending = "";
  const waiters: { count: number; resolve: () => void }[] = [];
  proc.stdout!.on("data", (chunk: Buffer) => {
    const lines = (pending + chunk.toString("utf8")).split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      const [id, at] = line.split(" ").map(Number);
      commits.set(id!, at!);
    }
    for (const w of [...waiters]) if (commits.size >= w.count) w.resolve();
  });
  return {
    commits,
    process: proc,
    committed: (count) => new Promise((resolve) => waiters.push({ count, resolve })),
  };
}

/** The writer's commits lost in a crash: how many, and how many milliseconds of commits that was. */
export function lostCommits(writer: Writer, survivingMaxId: number): { rows: number; ms: number; perSecond: number } {
  const ids = [...writer.commits.keys()].sort((a, b) => a - b);
  const last = ids.at(-1)!;
  const lost = ids.filter((id) => id > survivingMaxId);
  const span = (writer.commits.get(last)! - writer.commits.get(ids[0]!)!) / 1000;
  // A commit shipped but killed before it was reported counts as no loss.
  const survivorAt = writer.commits.get(survivingMaxId) ?? writer.commits.get(last)!;
  return { rows: lost.length, ms: writer.commits.get(last)! - survivorAt, perSecond: ids.length / span };
}
