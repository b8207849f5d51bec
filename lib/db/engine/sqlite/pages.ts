// A table's record text, page by page in key order, written by two connections on one
// snapshot: the text thread (text-thread.ts) takes most pages, the main thread the rest,
// since it also hashes and writes out every page. The thread works a few pages ahead of
// what the main thread has handed on, so memory stays at a few pages.
import type { Statement } from "better-sqlite3";

import {
  keyRanges,
  pageSql,
  recordTextPages,
  registerValueWriters,
  writePage,
  type KeyRange,
} from "@/lib/db/engine/sqlite/record-text";
import { NotOnThisThread, type TextThread } from "@/lib/db/engine/sqlite/text-thread";
import type { RecordTextPage, RecordTextPlan } from "@/lib/db/engine/types";
import type { Sqlite } from "@/lib/db/sqlite";

/**
 * Every MAIN_THREAD_SHARE-th page is written on the main thread, and the thread is given
 * THREAD_PAGES_AHEAD pages beyond the one the main thread is on. Measured at 100k on two
 * cores (full export, median of 4): every other page, one ahead: 2.1 s at 134 MiB; every
 * third, two ahead: 1.9 s at up to 172 MiB; one thread alone: 2.7 s at 116 MiB. Each page
 * more in flight costs far more memory than its size (freed buffers wait for collection).
 */
const MAIN_THREAD_SHARE = 2;
const THREAD_PAGES_AHEAD = 1;

interface Planned {
  range: KeyRange;
  /** The thread's answer, or null for a page the main thread writes. */
  written: Promise<RecordTextPage | null> | null;
}

/** Pages of `plans[index]`, inside the main connection's read transaction, with or without a thread. */
export async function* modelPages(
  db: Sqlite,
  plans: readonly RecordTextPlan[],
  index: number,
  pageSize: number,
  thread: TextThread | null,
): AsyncGenerator<RecordTextPage> {
  const plan = plans[index]!;
  if (!thread) {
    yield* recordTextPages(db, plan, pageSize);
    return;
  }
  registerValueWriters(db);
  const page = db.prepare(pageSql(plan));
  const ranges = keyRanges(db, plan, pageSize);
  const planned: Planned[] = [];
  let count = 0;
  const planAhead = () => {
    while (planned.filter((p) => p.written).length < THREAD_PAGES_AHEAD) {
      const next = ranges.next();
      if (next.done) return;
      const mine = count++ % MAIN_THREAD_SHARE === MAIN_THREAD_SHARE - 1;
      const written = mine ? null : thread.write(index, next.value);
      // Pages planned but never awaited (the export stopped) must not become unhandled rejections.
      written?.catch(() => undefined);
      planned.push({ range: next.value, written });
    }
  };
  for (planAhead(); planned.length > 0; planAhead()) {
    const { range, written } = planned.shift()!;
    const result = written ? await fromThread(written, page, range, pageSize) : writePage(page, range, pageSize);
    if (result) yield result;
  }
}

/** The thread's page, or the same page written here when the thread did not write it. */
async function fromThread(
  written: Promise<RecordTextPage | null>,
  page: Statement,
  range: KeyRange,
  pageSize: number,
): Promise<RecordTextPage | null> {
  try {
    return await written;
  } catch (error) {
    if (error instanceof NotOnThisThread) return writePage(page, range, pageSize);
    throw error;
  }
}
