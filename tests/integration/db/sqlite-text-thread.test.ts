// The text thread's lifecycle: whatever becomes of its worker, every page asked of it is
// answered (written, or refused with NotOnThisThread so the main thread writes it), and
// nothing waits forever.
//
// A worker thread can be stopped from outside only through its own handle, which only
// text-thread.ts holds: the test swaps node:worker_threads for one whose Worker is the real
// one, noted as it is made, and stops it as a crash would (terminate: exit code 1).
import type { Worker } from "node:worker_threads";

import { describe, expect, it, vi } from "vitest";

import { recordTextPlan } from "@/lib/backup/export/record-text";
import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { recordTextPages } from "@/lib/db/engine/sqlite/record-text";
import { NotOnThisThread, startTextThread, type TextThread } from "@/lib/db/engine/sqlite/text-thread";
import { openSqlite } from "@/lib/db/sqlite";
import { seededDatabase } from "@/tests/support/db";

const made = vi.hoisted(() => ({ workers: [] as Worker[] }));

vi.mock("node:worker_threads", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:worker_threads")>();
  class NotedWorker extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args);
      made.workers.push(this);
    }
  }
  return { ...real, default: { ...real, Worker: NotedWorker }, Worker: NotedWorker };
});

const USERS = BACKUP_MODELS.findIndex((m) => m.label === "auth.User");

const PAGE_SIZE = 5;

/** Starts a thread on `file`; `beginRead` gets its worker, to stop it there as a crash would. */
function start(file: string, beginRead: (worker: Worker) => void = () => {}) {
  const thread = startTextThread({
    file,
    plans: BACKUP_MODELS.map(recordTextPlan),
    pageSize: PAGE_SIZE,
    beginRead: () => beginRead(made.workers.at(-1)!),
  });
  const worker = made.workers.at(-1)!;
  return { thread, worker: () => worker };
}

async function startedThread(file: string): Promise<{ thread: TextThread; worker: Worker }> {
  const started = start(file);
  const thread = await started.thread;
  expect(thread).not.toBeNull();
  return { thread: thread!, worker: started.worker() };
}

const exitCode = (worker: Worker) => new Promise<number>((resolve) => worker.once("exit", resolve));

describe("text thread", () => {
  it("writes a page as the main thread would, and answers null for a range with no records", async () => {
    const db = seededDatabase(30, { activate: false });
    const { thread } = await startedThread(db);
    const page = await thread.write(USERS, { after: 0, upTo: 5 });
    const main = openSqlite(db);
    const [first] = recordTextPages(main, recordTextPlan(BACKUP_MODELS[USERS]!), PAGE_SIZE);
    main.close();
    expect(page).toMatchObject({ count: first!.count, last: first!.last });
    expect(page!.document.equals(first!.document)).toBe(true);
    expect(await thread.write(USERS, { after: 1_000_000, upTo: 1_000_005 })).toBeNull();
    thread.close();
  });

  it("refuses the pages it was writing when its worker dies, and every page after, naming why", async () => {
    const db = seededDatabase(30, { activate: false });
    const { thread, worker } = await startedThread(db);
    const pending = thread.write(USERS, { after: 0, upTo: 5 });
    await worker.terminate();
    await expect(pending).rejects.toThrow(NotOnThisThread);
    await expect(pending).rejects.toThrow(/the text thread stopped \(exit code 1\)/);
    await expect(thread.write(USERS, { after: 5, upTo: 10 })).rejects.toThrow(/the text thread stopped/);
  });

  it("refuses every page once closed, and its worker exits", async () => {
    const db = seededDatabase(30, { activate: false });
    const { thread, worker } = await startedThread(db);
    const exited = exitCode(worker);
    thread.close();
    await expect(thread.write(USERS, { after: 0, upTo: 5 })).rejects.toThrow(/the export has ended/);
    // 0: it ended on the "end" message, not at the terminate a second later (exit code 1).
    expect(await exited).toBe(0);
    thread.close();
  });

  it("does not start on a file it cannot open: the export then runs on one thread", async () => {
    const { thread } = start("/nonexistent/labq.sqlite3", () => {
      throw new Error("the main read must not begin");
    });
    expect(await thread).toBeNull();
  });

  it("does not start when its worker stops as the main read begins: the export then runs on one thread", async () => {
    const db = seededDatabase(10, { activate: false });
    const { thread } = start(db, (worker) => void worker.terminate());
    expect(await thread).toBeNull();
  });

  it("does not start when a write commits between the main read and its own: it would read a newer snapshot", async () => {
    const db = seededDatabase(10, { activate: false });
    const main = openSqlite(db, { readonly: true });
    const writer = openSqlite(db);
    const { thread, worker } = start(db, () => {
      main.exec("BEGIN");
      main.prepare("SELECT count(*) FROM sqlite_master").get();
      writer.exec("UPDATE auth_user SET first_name = 'Changed' WHERE id = 1");
    });
    const exited = exitCode(worker());
    expect(await thread).toBeNull();
    expect(await exited).toBe(1);
    main.exec("ROLLBACK");
    main.close();
    writer.close();
  });

  it("stops its worker and passes on the failure when the main read cannot begin", async () => {
    const db = seededDatabase(10, { activate: false });
    const { thread, worker } = start(db, () => {
      throw new Error("database is locked");
    });
    await expect(thread).rejects.toThrow("database is locked");
    expect(await exitCode(worker())).toBe(1);
  });
});
