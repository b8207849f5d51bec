// A SQLite connection on a thread of its own, for a restore: the caller checks and decodes
// the file's records on the main thread while this thread inserts the ones already checked,
// so the two halves of the work share the machine's cores instead of taking turns.
//
// Every call but `queue` is synchronous, as better-sqlite3's own are: the caller waits
// (Atomics.wait) until the thread has run everything queued before it and then the call, so
// code written for a plain connection runs unchanged. `queue` only hands rows over; a failed
// queued write makes the next synchronous call throw. Closing rolls back what was not
// committed, as closing a plain connection does.
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

import { sqliteDriverPath, type SqlConnection, type SqlStatement } from "@/lib/db/sqlite";

/** Queued rows handed over at a time, and how many hand-overs may wait (memory stays flat). */
const ROWS_PER_BATCH = 1000;
const BATCHES_AHEAD = 8;

/** The thread, as plain CommonJS: a worker runs a file or a string, not our bundled TypeScript. */
const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const { signal, replies } = workerData;
// However the thread ends, a caller waiting for it wakes up and is told.
process.on("exit", () => {
  Atomics.store(signal, 2, 1);
  Atomics.notify(signal, 0);
  Atomics.notify(signal, 1);
});
const describe = (error) => ({ message: error.message, code: error.code });
// Set once something failed: every later call answers with it.
let failure = null;
let db;
try {
  db = new Database(workerData.file);
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  db.pragma("journal_mode = WAL");
} catch (error) {
  failure = describe(error);
}
const statements = new Map();
const statement = (sql) => {
  let s = statements.get(sql);
  if (!s) statements.set(sql, (s = db.prepare(sql)));
  return s;
};
const queued = [];
function answer(request) {
  // Closing rolls back whatever was not committed, whatever failed before.
  if (request.op === "close") {
    if (db && db.open) db.close();
    return { value: null };
  }
  if (failure) return { error: failure };
  switch (request.op) {
    case "exec": db.exec(request.sql); return { value: null };
    case "pragma": return { value: db.pragma(request.sql, { simple: request.simple }) };
    default: {
      const s = statement(request.sql);
      if (request.op === "run") return { value: { changes: s.run(...request.params).changes } };
      return { value: s.pluck(request.pluck)[request.op](...request.params) };
    }
  }
}
parentPort.on("message", (request) => {
  if (request.op === "queue") {
    if (!failure) {
      try {
        for (const [index, sql] of request.define) queued[index] = db.prepare(sql);
        for (let i = 0; i < request.rows.length; i += 2) queued[request.rows[i]].run(request.rows[i + 1]);
      } catch (error) {
        failure = describe(error);
      }
    }
    Atomics.add(signal, 1, 1);
    Atomics.notify(signal, 1);
    return;
  }
  let reply;
  try {
    reply = answer(request);
  } catch (error) {
    reply = { error: describe(error) };
  }
  replies.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

class SqliteThreadError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface Request {
  op: "exec" | "pragma" | "close" | "run" | "get" | "all";
  sql: string;
  params?: unknown[];
  pluck?: boolean;
  simple?: boolean;
}

export interface ThreadedSqlite extends SqlConnection {
  queue(sql: string, params: unknown[]): void;
  close(): void;
}

export function openSqliteThread(file: string): ThreadedSqlite {
  // [0] an answer is ready, [1] hand-overs done, [2] the thread has stopped.
  const signal = new Int32Array(new SharedArrayBuffer(12));
  const stopped = () => {
    if (Atomics.load(signal, 2) === 1) throw new Error("The database thread stopped unexpectedly.");
  };
  const { port1: answers, port2: replies } = new MessageChannel();
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: { driver: sqliteDriverPath(), file, signal, replies },
    transferList: [replies],
    // It holds a few hand-overs at a time: a small young generation keeps its memory small.
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  worker.unref();
  const defined = new Map<string, number>();
  let define: [number, string][] = [];
  let rows: unknown[] = [];
  let sent = 0;
  let closed = false;

  const flush = () => {
    if (rows.length === 0) return;
    worker.postMessage({ op: "queue", define, rows });
    sent++;
    define = [];
    rows = [];
    // Wait while the thread is far behind: what is handed over is held in memory.
    for (let done = Atomics.load(signal, 1); sent - done > BATCHES_AHEAD; done = Atomics.load(signal, 1)) {
      stopped();
      Atomics.wait(signal, 1, done, 1000);
    }
  };

  const call = (request: Request): unknown => {
    if (closed) throw new Error("The database connection is closed.");
    flush();
    Atomics.store(signal, 0, 0);
    worker.postMessage({ params: [], ...request });
    while (Atomics.load(signal, 0) === 0) {
      stopped();
      Atomics.wait(signal, 0, 0, 1000);
    }
    const reply = receiveMessageOnPort(answers)!.message as {
      value?: unknown;
      error?: { message: string; code?: string };
    };
    if (reply.error) throw new SqliteThreadError(reply.error.message, reply.error.code);
    return reply.value;
  };

  const prepare = (sql: string): SqlStatement => {
    let pluck = false;
    const statement: SqlStatement = {
      run: (...params) => call({ op: "run", sql, params, pluck }) as { changes: number },
      get: (...params) => call({ op: "get", sql, params, pluck }),
      all: (...params) => call({ op: "all", sql, params, pluck }) as unknown[],
      iterate: (...params) => (call({ op: "all", sql, params, pluck }) as unknown[])[Symbol.iterator](),
      pluck(toggle = true) {
        pluck = toggle;
        return statement;
      },
    };
    return statement;
  };

  return {
    prepare,
    exec: (sql) => call({ op: "exec", sql }),
    pragma: (sql, options) => call({ op: "pragma", sql, simple: options?.simple ?? false }),
    queue(sql, params) {
      let index = defined.get(sql);
      if (index === undefined) {
        defined.set(sql, (index = defined.size));
        define.push([index, sql]);
      }
      rows.push(index, params);
      if (rows.length >= 2 * ROWS_PER_BATCH) flush();
    },
    close() {
      if (closed) return;
      // Rows not handed over yet would only be rolled back.
      rows = [];
      try {
        if (Atomics.load(signal, 2) === 0) call({ op: "close", sql: "" });
      } finally {
        closed = true;
        answers.close();
        void worker.terminate();
      }
    },
  };
}
