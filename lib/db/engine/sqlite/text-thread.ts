// A second connection writing record text on a thread of its own, so that an export uses
// both cores: SQLite builds the text of some pages there while the main thread builds the
// others and hashes and writes out all of them, in order (pages.ts).
//
// Both connections must read the same snapshot. The thread notes SQLite's data_version,
// the main connection starts its read transaction, then the thread starts its own and
// checks that data_version has not moved: no commit came between, so both read the same
// last commit. If one did, the thread is not used and the main thread writes every page.
import { Worker } from "node:worker_threads";

import { pageSql, WRITE_VALUE, type KeyRange } from "@/lib/db/engine/sqlite/record-text";
import type { RecordTextPage, RecordTextPlan } from "@/lib/db/engine/types";
import { sqliteDriverPath } from "@/lib/db/sqlite";

/**
 * The thread, as plain CommonJS (a worker runs a file or a string, not our bundled
 * TypeScript). Its value writers are VALUE_WRITERS of json-values.ts but DateTime's, which
 * needs storedToIso: a value only that one writes (an odd datetime) sends its page back to the
 * main thread. The record-text tests hold the two to the same text for every odd value. (Not
 * the functions' own source: an instrumented build, such as mutation testing's, rewrites it.)
 */
const TEXT_THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const { file, pageSql, writeValue, pageSize, notHere } = workerData;
const db = new Database(file, { readonly: true, fileMustExist: true });
db.pragma("busy_timeout = 5000");
db.pragma("cache_size = -2048");
const write = {
  Boolean: (v) => (v === null ? "null" : v ? "true" : "false"),
  Json: (v) => (v === null ? "null" : String(v)),
  Float: (v) => (v === null ? "null" : JSON.stringify(v)),
  Int: (v) => (v === null ? "null" : JSON.stringify(v)),
  String: (v) => JSON.stringify(v),
};
db.function(writeValue, { deterministic: true }, (type, value) => {
  if (!write[type]) throw new Error(notHere);
  return write[type](value);
});
const pages = new Map();
const dataVersion = () => db.pragma("data_version", { simple: true });
const before = dataVersion();
const own = (b) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
parentPort.on("message", (m) => {
  if (m.kind === "begin") {
    db.exec("BEGIN");
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    parentPort.postMessage({ kind: "begun", aligned: dataVersion() === before });
  } else if (m.kind === "page") {
    try {
      if (!pages.has(m.model)) pages.set(m.model, db.prepare(pageSql[m.model]));
      const p = pages.get(m.model).get(m.after, m.upTo, pageSize);
      const buffers = p.count > 0 && own(p.document) ? [p.document.buffer] : [];
      parentPort.postMessage({ kind: "page", id: m.id, page: p }, buffers);
    } catch (error) {
      parentPort.postMessage({ kind: "page", id: m.id, error: String(error && error.message) });
    }
  } else if (m.kind === "end") {
    db.close();
    parentPort.close();
  }
});
parentPort.postMessage({ kind: "ready" });
`;

/**
 * A page the thread did not write: the main thread writes it instead, and if the trouble is
 * the data's (a damaged page), meets it there too and reports it as any export would.
 */
export class NotOnThisThread extends Error {}
const NOT_HERE = "a value this thread has no writer for";

type Reply =
  | { kind: "ready" }
  | { kind: "begun"; aligned: boolean }
  | { kind: "page"; id: number; page?: RecordTextPage; error?: string };

export interface TextThread {
  /** The page of `plans[model]` in `range`, written on the thread (null: no record there). */
  write(model: number, range: KeyRange): Promise<RecordTextPage | null>;
  close(): void;
}

export interface TextThreadOptions {
  file: string;
  plans: readonly RecordTextPlan[];
  pageSize: number;
  /** Starts the main connection's read transaction: called once, between the thread's two looks at data_version. */
  beginRead: () => void;
}

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Starts the thread on the main connection's snapshot; null when it cannot be (the export then runs on one thread). */
export async function startTextThread(options: TextThreadOptions): Promise<TextThread | null> {
  const worker = new Worker(TEXT_THREAD, {
    eval: true,
    workerData: {
      driver: sqliteDriverPath(),
      file: options.file,
      pageSql: options.plans.map(pageSql),
      writeValue: WRITE_VALUE,
      pageSize: options.pageSize,
      notHere: NOT_HERE,
    },
    // SQLite builds the text; JavaScript here holds a page at a time.
    resourceLimits: { maxYoungGenerationSizeMb: 1 },
  });
  const waiting = new Map<number, { resolve: (p: RecordTextPage | null) => void; reject: (e: Error) => void }>();
  let stopped: Error | null = null;
  let onStart: ((reply: Reply | null) => void) | null = null;
  const stop = (reason: Error) => {
    stopped ??= reason;
    onStart?.(null);
    for (const w of waiting.values()) w.reject(new NotOnThisThread(reason.message));
    waiting.clear();
  };
  worker.on("message", (reply: Reply) => {
    if (reply.kind !== "page") return onStart?.(reply);
    const answer = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (!answer) return;
    if (reply.error !== undefined) answer.reject(new NotOnThisThread(reply.error));
    else if (reply.page!.count === 0) answer.resolve(null);
    else answer.resolve({ ...reply.page!, document: asBuffer(reply.page!.document) });
  });
  worker.on("error", stop);
  worker.on("exit", (code) => stop(new Error(`the text thread stopped (exit code ${code})`)));
  const next = () =>
    new Promise<Reply | null>((resolve) => {
      if (stopped) resolve(null);
      else onStart = resolve;
    });

  const ready = await next();
  if (ready?.kind !== "ready") {
    void worker.terminate();
    return null;
  }
  try {
    options.beginRead();
  } catch (error) {
    void worker.terminate();
    throw error;
  }
  worker.postMessage({ kind: "begin" });
  const begun = await next();
  onStart = null;
  if (begun?.kind !== "begun" || !begun.aligned) {
    void worker.terminate();
    return null;
  }

  let nextId = 0;
  return {
    write(model, range) {
      if (stopped) return Promise.reject(new NotOnThisThread(stopped.message));
      const id = nextId++;
      worker.postMessage({ kind: "page", id, model, ...range });
      return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
    },
    close() {
      if (stopped) return;
      stopped = new Error("the export has ended");
      worker.postMessage({ kind: "end" });
      // Pages still being written are not waited for.
      setTimeout(() => void worker.terminate(), 1000).unref();
    },
  };
}
