// A restore that cannot go ahead stops before the database changes, says why in plain words,
// and writes the same reason into the History.
import fs from "node:fs";

import { describe, expect, it } from "vitest";

import { readMaintenance } from "@/lib/backup/maintenance";
import { restoreBackup, type RestoreOptions } from "@/lib/backup/restore/restore";
import { listSafetySnapshots, SAFETY_SNAPSHOTS_KEPT, snapshotsDir, writeSafetySnapshot } from "@/lib/backup/snapshot";
import { dataDir } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { withSqlite } from "@/lib/db/sqlite";
import { backupLargerThanFreeDisk, exportText, mutated, records, writeTemp } from "@/tests/support/backup";
import { contentHash, seededDatabase } from "@/tests/support/db";

/** A backup of another lab and the live database it would replace. */
async function backupAndTarget() {
  const text = await exportText(seededDatabase(20, { activate: false }));
  const target = seededDatabase(20, { seed: 2 });
  return { text, file: writeTemp(text), target };
}

const restore = (options: Partial<RestoreOptions> & Pick<RestoreOptions, "file">) =>
  restoreBackup({ actor: "tester", source: "cli", label: "lab.json", ...options });

describe("a restore that stops", () => {
  it("says why in the result and in the History, for every kind of stop, and changes nothing", async () => {
    const { text, file, target } = await backupAndTarget();
    const before = contentHash(target);
    // In the original app's format (no integrity block), a field this app lacks is data it would lose.
    const withLoss = mutated(text, (doc) => {
      delete doc.integrity;
      delete doc.format_version;
      records(doc, "userRegistration.UserProfile")[0]!.fields.orcid = "0000-0002-1825-0097";
    });
    const withTwoLosses = mutated(withLoss, (doc) => {
      records(doc, "auth.User")[0]!.fields.nickname = "Mo";
    });
    const stops: {
      options: Partial<RestoreOptions>;
      /** Puts the live database in a state for this stop; returns what undoes it. */
      prepare?: () => () => void;
      stage: string;
      error: RegExp;
      summary: RegExp;
    }[] = [
      {
        options: { file: backupLargerThanFreeDisk(dataDir()) },
        stage: "validate",
        error:
          /^This restore needs about .* of free disk .* but only [\d.]+ [KMGT]?i?B is free .* Nothing was changed\./,
        summary: /^refused: This restore needs about .* of free disk/,
      },
      {
        options: { file: writeTemp("{}") },
        stage: "validate",
        error: /^The backup did not pass validation; nothing was changed\.$/,
        summary: /^refused: .*no "models" section/,
      },
      {
        options: { file: writeTemp(withLoss) },
        stage: "validate",
        error:
          /^The backup holds data this app cannot keep \(1 item: User profiles, orcid \(userRegistration\.UserProfile\.orcid\): .*\) Nothing was changed; accept the loss explicitly/,
        summary:
          /^refused: would lose User profiles, orcid \(userRegistration\.UserProfile\.orcid\): a field this app does not have/,
      },
      {
        options: { file: writeTemp(withTwoLosses) },
        stage: "validate",
        error: /^The backup holds data this app cannot keep \(2 items: .*nickname.*orcid/,
        summary: /^refused: would lose /,
      },
      {
        options: { keepAccounts: ["nobody-here"] },
        stage: "validate",
        error: /no account named "nobody-here"/,
        summary: /^refused: .*no account named "nobody-here"/,
      },
      {
        // The database itself refuses the rows: a trigger another tool left.
        prepare: () => {
          withSqlite(
            (db) =>
              db.exec(`CREATE TRIGGER machines_elsewhere BEFORE INSERT ON calendarEditor_machine
                       BEGIN SELECT RAISE(ABORT, 'machines are managed elsewhere'); END`),
            target,
          );
          return () => withSqlite((db) => db.exec("DROP TRIGGER machines_elsewhere"), target);
        },
        options: {},
        stage: "load",
        error: /^The restore was rolled back \(machines are managed elsewhere\); the database is exactly as it was\.$/,
        summary: /^The restore was rolled back \(machines are managed elsewhere\)/,
      },
      {
        // Cut off part-way through its records: the ones before the cut were already loaded.
        options: { file: writeTemp(text.slice(0, Math.floor(text.length * 0.6))) },
        stage: "validate",
        error: /^The backup did not pass validation; nothing was changed\.$/,
        summary: /^refused: .*(truncated|incomplete|ends)/i,
      },
    ];
    for (const { options, prepare, stage, error } of stops) {
      const undo = prepare?.();
      const result = await restore({ file, ...options });
      undo?.();
      expect(result, String(error)).toMatchObject({ ok: false, stage, error: expect.stringMatching(error) });
      expect(contentHash(target)).toBe(before);
    }
    const history = await prisma().backupEvent.findMany({ orderBy: { id: "asc" } });
    expect(history.map((h) => [h.kind, h.result])).toEqual(stops.map(() => ["restore", "failed"]));
    history.forEach((h, i) => expect(JSON.parse(h.detail!).summary, String(i)).toMatch(stops[i]!.summary));
    expect(history.map((h) => JSON.parse(h.detail!).file)).toEqual(Array(7).fill("lab.json"));
    // A stopped restore keeps no safety snapshot (it took one while it loaded): the data it
    // would have replaced is still there.
    expect(fs.existsSync(snapshotsDir()) ? fs.readdirSync(snapshotsDir()) : []).toEqual([]);
  });

  it("keeps every older safety snapshot: only a restore that went ahead prunes them", async () => {
    const { text, target } = await backupAndTarget();
    const older = [];
    for (let i = 0; i < SAFETY_SNAPSHOTS_KEPT; i++) older.push((await writeSafetySnapshot()).name);
    const before = contentHash(target);
    const damaged = mutated(text, (doc) => (records(doc, "calendarEditor.Machine")[0]!.fields.min_temp = "cold"));
    expect(await restore({ file: writeTemp(damaged) })).toMatchObject({ ok: false, stage: "validate" });
    expect(
      listSafetySnapshots()
        .map((s) => s.name)
        .sort(),
    ).toEqual([...older].sort());
    expect(contentHash(target)).toBe(before);
  });

  it("rolls back, changing nothing, when the safety snapshot cannot be written", async () => {
    const { file, target } = await backupAndTarget();
    const before = contentHash(target);
    // A file where the snapshot folder should be: the snapshot cannot be written there.
    fs.mkdirSync(dataDir(), { recursive: true });
    fs.writeFileSync(snapshotsDir(), "not a folder");
    const result = await restore({ file });
    expect(result).toMatchObject({
      ok: false,
      stage: "snapshot",
      error: expect.stringMatching(/^The safety snapshot could not be taken \(.+\); nothing was changed\.$/),
    });
    expect(contentHash(target)).toBe(before);
    const [event] = await prisma().backupEvent.findMany();
    expect(JSON.parse(event!.detail!).summary).toMatch(/^safety snapshot failed: .+/);
  });

  it("reports how long it took, from its own start", async () => {
    const { file } = await backupAndTarget();
    const started = performance.now();
    const result = await restore({ file, silent: true });
    const outside = performance.now() - started;
    expect(result.ok).toBe(true);
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.durationMs).toBeLessThanOrEqual(Math.ceil(outside));
  });

  it("shows as a restore, or as a roll back, to anyone looking while it runs", async () => {
    const { file } = await backupAndTarget();
    const seen = new Set<string | undefined>();
    const watch = () => seen.add(readMaintenance()?.operation);
    expect((await restore({ file, silent: true, onProgress: watch })).ok).toBe(true);
    expect(await restore({ file, silent: true, kind: "rollback", onProgress: watch })).toMatchObject({ ok: true });
    expect([...seen].sort()).toEqual(["restore", "rollback"]);
  });
});
