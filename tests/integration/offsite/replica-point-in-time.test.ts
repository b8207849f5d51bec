// Restoring to a point in time from the continuous replica (the real Litestream binary, a
// file:// replica), with the same CLIs as any other source: db:verify and db:restore take
// replica:latest and replica:<ISO-8601 time>.
import { spawnSync } from "node:child_process";

import { afterEach, describe, expect, it } from "vitest";

import { restoreBackup } from "@/lib/backup/restore/restore";
import { databasePath, dataDir } from "@/lib/config";
import { withSqlite } from "@/lib/db/sqlite";
import { parseReplicaSource } from "@/lib/offsite/replica/source";
import type { Supervisor } from "@/lib/offsite/replica/supervisor";
import { exportFile } from "@/tests/support/backup";
import { contentHash, seededDatabase, tableCounts } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { shipped, startReplicating } from "@/tests/support/replica";

function cli(script: "restore" | "verify-backup", args: string[]) {
  const result = spawnSync("node", ["scripts/cli.mjs", script, ...args], {
    env: { ...process.env, DATABASE_URL: `file:${databasePath()}`, DATA_DIR: dataDir(), USER: "operator" },
    encoding: "utf8",
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}`, stdout: result.stdout };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let replication: Supervisor | undefined;
afterEach(async () => {
  await replication?.stop();
  setEnv({ BACKUP_REPLICA_URL: undefined });
});

describe("replica sources", () => {
  it("reads replica:latest and replica:<time> (UTC without a zone) and refuses anything else", () => {
    expect(parseReplicaSource("replica:latest")).toEqual({});
    expect(parseReplicaSource("replica:2026-12-05T09:30:00Z")!.timestamp!.toISOString()).toBe(
      "2026-12-05T09:30:00.000Z",
    );
    expect(parseReplicaSource("replica:2026-12-05T09:30:00")!.timestamp!.toISOString()).toBe(
      "2026-12-05T09:30:00.000Z",
    );
    expect(parseReplicaSource("replica:2026-12-05T10:30:00+01:00")!.timestamp!.toISOString()).toBe(
      "2026-12-05T09:30:00.000Z",
    );
    expect(parseReplicaSource("backup.json")).toBeNull();
    expect(() => parseReplicaSource("replica:yesterday")).toThrow(/names no moment/);
  });

  it("db:restore replica:<t> after a restore of another file gives back exactly the content at t", async () => {
    const other = await exportFile(seededDatabase(25, { activate: false, seed: 9 }));
    seededDatabase(40, { seed: 4 });
    replication = startReplicating();
    await shipped();
    const atT = contentHash(databasePath());
    const countsAtT = tableCounts(databasePath());
    const t = new Date();
    await pause(1500);

    const replaced = await restoreBackup({ file: other, actor: "test", source: "cli", label: "other", silent: true });
    expect(replaced.ok).toBe(true);
    expect(contentHash(databasePath())).not.toBe(atT);
    await shipped();

    const verified = cli("verify-backup", [`replica:${t.toISOString()}`, "--json"]);
    expect(verified.code, verified.out).toBe(0);
    expect(JSON.parse(verified.stdout).exportDate).toBe(new Date(t).toISOString());

    const restored = cli("restore", [`replica:${t.toISOString()}`, "--yes", "--silent"]);
    expect(restored.code, restored.out).toBe(0);
    expect(contentHash(databasePath())).toBe(atT);
    expect(tableCounts(databasePath())).toEqual(countsAtT);
  });

  it("refuses a moment the replica does not reach, and changes nothing", async () => {
    seededDatabase(10, { seed: 2 });
    replication = startReplicating();
    await shipped();
    const before = contentHash(databasePath());
    const result = cli("restore", ["replica:2001-01-01T00:00:00Z", "--yes"]);
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(/The replica holds nothing at 2001-01-01T00:00:00.000Z/);
    expect(contentHash(databasePath())).toBe(before);
    expect(withSqlite((db) => db.pragma("quick_check", { simple: true }), databasePath())).toBe("ok");
  });
});
