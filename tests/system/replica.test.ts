// Continuous replication with the real Litestream binary and a file:// replica: a crash that
// kills the app, Litestream and a writer at once, on a disk that is then wiped, loses at most
// a second of commits once `npm start` brings the database back from the replica. A first start
// that finds no replica says so loudly.
import fs from "node:fs";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { withSqlite } from "@/lib/db/sqlite";
import { startApp, type RunningApp } from "@/tests/support/app-server";
import { tempDir } from "@/tests/support/db";
import { lostCommits, startWriter } from "@/tests/support/writer";

const PORT = 3331;
let app: RunningApp | undefined;
afterAll(async () => {
  await app?.stop();
});

function killEverything(app: RunningApp, writer: ReturnType<typeof startWriter>): void {
  // The app's process group holds npm, the start script, the Next server and Litestream.
  process.kill(-app.pid, "SIGKILL");
  writer.process.kill("SIGKILL");
}

describe("a crash on a wiped disk", () => {
  it("comes back from the replica at the next start, losing at most a second of commits", async () => {
    const root = tempDir("labq-replica-");
    const dataDir = path.join(root, "data");
    const db = path.join(dataDir, "lab.sqlite3");
    const env = {
      DATABASE_URL: `file:${db}`,
      DATA_DIR: dataDir,
      BACKUP_REPLICA_URL: `file://${path.join(root, "replica")}`,
    };
    app = await startApp(env, PORT);
    expect(app.output()).toContain("Replicating every change to");
    // The lab's first start: no file and an empty replica, which could as well be a wrong setting.
    expect(app.output()).toContain(`WARNING: no replica found at ${path.join(root, "replica")} (BACKUP_REPLICA_URL)`);

    const writer = startWriter(db);
    await writer.committed(1500);
    killEverything(app, writer);
    await new Promise((resolve) => writer.process.once("close", resolve));
    app = undefined;
    fs.rmSync(dataDir, { recursive: true });

    app = await startApp(env, PORT);
    expect(app.output()).toMatch(/The database file was missing: restored it from the replica/);
    expect(app.output()).not.toContain("WARNING: no replica found");
    const survivors = withSqlite(
      (sqlite) =>
        sqlite
          .prepare("SELECT id FROM calendarEditor_machine WHERE name LIKE 'crash-probe-%' ORDER BY id")
          .pluck()
          .all(),
      db,
      { readonly: true },
    ) as number[];
    const maxId = survivors.at(-1)!;
    // Every commit up to the last one that survived is there: the replica holds a prefix, no gaps.
    expect(survivors).toEqual([...writer.commits.keys()].filter((id) => id <= maxId).sort((a, b) => a - b));
    const lost = lostCommits(writer, maxId);
    console.log(
      `Crash: ${lost.rows} of ${writer.commits.size} commits lost (${lost.ms} ms at ${lost.perSecond.toFixed(0)} commits/s).`,
    );
    expect(lost.ms).toBeLessThanOrEqual(1000);
  });
});
