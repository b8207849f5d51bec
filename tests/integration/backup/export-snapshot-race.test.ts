// A write that commits in the instant between the export's read transaction and its text
// thread's must not reach the document: the thread would read the newer commit, so it is not
// used and the main thread writes every page from the export's own snapshot.
//
// The instant is inside startTextThread (between two messages to its worker), so no real
// writer can be made to land there every time: the test swaps the module boundary instead,
// wrapping the real startTextThread so that the write commits right after the main read begins.
import { afterEach, describe, expect, it, vi } from "vitest";

import { openSqlite } from "@/lib/db/sqlite";
import { exportText, records, type BackupDoc } from "@/tests/support/backup";
import { seededDatabase } from "@/tests/support/db";

const race = vi.hoisted(() => ({ afterMainReadBegins: null as (() => void) | null, threadStarted: [] as boolean[] }));

vi.mock("@/lib/db/engine/sqlite/text-thread", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/db/engine/sqlite/text-thread")>();
  return {
    ...real,
    startTextThread: async (options: Parameters<typeof real.startTextThread>[0]) => {
      const thread = await real.startTextThread({
        ...options,
        beginRead: () => {
          options.beginRead();
          race.afterMainReadBegins?.();
        },
      });
      race.threadStarted.push(thread !== null);
      return thread;
    },
  };
});

afterEach(() => {
  race.afterMainReadBegins = null;
  race.threadStarted = [];
});

describe("export snapshot as its text thread starts", () => {
  it("keeps to its own snapshot when a write lands as the second thread begins", async () => {
    const db = seededDatabase(60, { activate: false });
    const before = JSON.parse(await exportText(db, { thread: false })) as BackupDoc;
    const writer = openSqlite(db);
    race.afterMainReadBegins = () => writer.exec("UPDATE auth_user SET first_name = 'Changed' WHERE id = 1");
    const during = JSON.parse(await exportText(db, { pageSize: 5 })) as BackupDoc;
    race.afterMainReadBegins = null;
    writer.close();
    // The thread saw the commit and stood down; the document is the snapshot before it.
    expect(race.threadStarted).toEqual([false]);
    race.threadStarted = [];
    expect(during.models).toEqual(before.models);
    const after = JSON.parse(await exportText(db)) as BackupDoc;
    expect(records(after, "auth.User")[0]!.fields.first_name).toBe("Changed");
    expect(race.threadStarted).toEqual([true]);
  });

  it("uses its thread when nothing commits between the two reads", async () => {
    const db = seededDatabase(60, { activate: false });
    await exportText(db, { pageSize: 5 });
    expect(race.threadStarted).toEqual([true]);
  });
});
