// Moves a lab from its SQLite file to a PostgreSQL database in one go (npm run db:move):
//
//   1. check both ends: the SQLite file exists and is up to date; the PostgreSQL database is
//      reachable and holds no records (unless told to replace them);
//   2. migrate the PostgreSQL database with our runner;
//   3. export the SQLite file into a backup file (kept: it is also a backup of the moment);
//   4. restore that file into PostgreSQL: the ordinary restore, all or nothing, without
//      notices to staff so every table holds exactly the file's records;
//   5. compare: export PostgreSQL and the SQLite file again; the records digests (SHA-256 of
//      every record's text, format.ts) and counts must equal the file's, record for record.
//
// The SQLite file is only read. Changes the app makes to it after step 3 are not moved; step 5
// notices them and says so.
import fs from "node:fs";
import path from "node:path";

import { createExport, type ExportSummary } from "@/lib/backup/export/export";
import { writeExportToFile } from "@/lib/backup/export/write-file";
import { backupFilename } from "@/lib/backup/format/format";
import { humanModelName } from "@/lib/backup/format/labels";
import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { databaseEngine, pointAtDatabase } from "@/lib/config";
import { countTables } from "@/lib/db/engine/postgres/read";
import { pendingMigrations } from "@/lib/db/migrate";
import { describePostgresUrl, withPostgres } from "@/lib/db/postgres/connection";
import { migratePostgres } from "@/lib/db/postgres/migrate";
import { formatCount, formatDuration, plural } from "@/lib/format";

/** A refusal: nothing was changed, and the message says why and what to do. */
export class MoveRefused extends Error {}

export interface MoveOptions {
  /** The SQLite file the lab runs on now. */
  from: string;
  /** The PostgreSQL database it moves to (a postgresql:// URL). */
  to: string;
  /** Where the backup file of the moment goes (the data folder). */
  folder: string;
  /** Replace the records the target holds; without it a target with records is refused. */
  replace: boolean;
  actor: string;
  /** One line per step and its outcome, as the move goes. */
  say: (line: string) => void;
}

export interface ModelComparison {
  label: string;
  sqlite: number;
  postgresql: number;
}

export interface MoveResult {
  identical: boolean;
  /** The backup file the move restored from. */
  file: string;
  records: number;
  models: ModelComparison[];
  /** Records digests: the file's (the SQLite data at the move), PostgreSQL's after it, SQLite's at the end. */
  digests: { moved: string; postgresql: string; sqliteNow: string };
  /** Set when the move is not identical: what differs, in words. */
  problem: string | null;
  durationMs: number;
}

const TABLES = BACKUP_MODELS.map((m) => m.table);

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Checks the arguments before anything is opened. */
export function checkMoveArguments({ from, to }: Pick<MoveOptions, "from" | "to">): void {
  if (databaseEngine(to) !== "postgresql") {
    throw new MoveRefused("--to must name a PostgreSQL database: postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE.");
  }
  if (databaseEngine(from) === "postgresql") {
    throw new MoveRefused(
      "The database to move from is PostgreSQL already. Name the lab's SQLite file with --from FILE " +
        "(or run the command with DATABASE_URL pointing at it).",
    );
  }
  if (!fs.existsSync(from)) throw new MoveRefused(`There is no SQLite database at ${from}. Name it with --from FILE.`);
  if (!fs.statSync(from).isFile())
    throw new MoveRefused(`${from} is not a file. Name the SQLite file with --from FILE.`);
}

/** The SQLite file must be a database of this app at its latest schema: the export then says so. */
function checkSource(from: string): void {
  let pending: string[];
  try {
    pending = pendingMigrations(from);
  } catch (error) {
    throw new MoveRefused(`${from} cannot be read as this app's SQLite database: ${(error as Error).message}`);
  }
  if (pending.length > 0) {
    throw new MoveRefused(
      `${from} lacks ${formatCount(pending.length)} ${plural(pending.length, "migration")} of this version ` +
        `(${pending.join(", ")}): run the app once (npm start) or npm run db:migrate on it first, then move it.`,
    );
  }
}

/** Records the target holds now, per table of the backup (a table it lacks holds none). */
async function targetRecords(to: string): Promise<number> {
  return withPostgres(to, async (db) => {
    const { rows } = await db.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()",
    );
    const present = new Set(rows.map((r) => r.name));
    return total(
      await countTables(
        db,
        TABLES.filter((t) => present.has(t)),
      ),
    );
  });
}

async function checkTarget(to: string, replace: boolean): Promise<number> {
  const records = await targetRecords(to);
  if (records > 0 && !replace) {
    throw new MoveRefused(
      `${describePostgresUrl(to)} already holds ${formatCount(records)} ${plural(records, "record")}. ` +
        "Nothing was changed. To replace them with the SQLite data, run again with --replace.",
    );
  }
  return records;
}

/** Exports a database only for its digest and counts (the document goes nowhere). */
async function digestOf(database: string): Promise<ExportSummary> {
  const backup = createExport({ file: database });
  for await (const chunk of backup.chunks) void chunk;
  const summary = await backup.summary;
  if (!summary.complete) throw new Error(`The export of ${database} is incomplete: ${JSON.stringify(summary.errors)}`);
  return summary;
}

function compare(moved: ExportSummary, postgres: ExportSummary, sqliteNow: ExportSummary) {
  const models = BACKUP_MODELS.map((m) => ({
    label: m.label,
    sqlite: moved.counts[m.label] ?? 0,
    postgresql: postgres.counts[m.label] ?? 0,
  }));
  const differing = models.filter((m) => m.sqlite !== m.postgresql).map((m) => humanModelName(m.label));
  let problem: string | null = null;
  if (differing.length > 0) problem = `PostgreSQL holds different numbers of records for ${differing.join(", ")}.`;
  else if (postgres.sha256 !== moved.sha256)
    problem = "PostgreSQL holds the same numbers of records, but not the same records.";
  else if (sqliteNow.sha256 !== moved.sha256) {
    problem =
      "The SQLite database changed while it was being moved (the app was still writing to it): those changes are " +
      "not in PostgreSQL. Stop the app and run the move again with --replace.";
  }
  return { models, problem };
}

function step(say: MoveOptions["say"], n: number, text: string): () => void {
  const started = performance.now();
  say(`${n}/5 ${text}…`);
  return () => say(`    done in ${formatDuration(performance.now() - started)}`);
}

export async function moveToPostgres(options: MoveOptions): Promise<MoveResult> {
  const { from, to, folder, replace, actor, say } = options;
  const started = performance.now();
  const target = describePostgresUrl(to);
  checkMoveArguments({ from, to });

  let done = step(say, 1, `Checking ${from} and ${target}`);
  checkSource(from);
  const before = await checkTarget(to, replace);
  if (before > 0)
    say(`    ${target} holds ${formatCount(before)} ${plural(before, "record")}; --replace: they will be replaced.`);
  done();

  done = step(say, 2, `Migrating ${target}`);
  const applied = await migratePostgres(to);
  say(`    ${applied.length === 0 ? "already up to date" : `applied ${formatCount(applied.length)} migrations`}`);
  done();

  done = step(say, 3, `Exporting ${from}`);
  const file = path.join(folder, backupFilename(new Date()));
  const moved = await writeExportToFile(file, { file: from });
  if (!moved.complete) throw new Error(`The export of ${from} is incomplete: ${JSON.stringify(moved.errors)}`);
  say(`    ${formatCount(total(moved.counts))} records into ${file}`);
  done();

  done = step(say, 4, `Restoring them into ${target}`);
  await restoreInto(to, { file, actor, say });
  done();

  done = step(say, 5, "Comparing PostgreSQL with the SQLite data, record for record");
  const postgres = await digestOf(to);
  const sqliteNow = await digestOf(from);
  const { models, problem } = compare(moved, postgres, sqliteNow);
  done();

  return {
    identical: problem === null,
    file,
    records: total(moved.counts),
    models,
    digests: { moved: moved.sha256, postgresql: postgres.sha256, sqliteNow: sqliteNow.sha256 },
    problem,
    durationMs: performance.now() - started,
  };
}

/** The ordinary restore, with DATABASE_URL pointing at the target for its duration. */
async function restoreInto(to: string, { file, actor, say }: { file: string; actor: string; say: MoveOptions["say"] }) {
  const failed = (why: string) =>
    new Error(`The restore into ${describePostgresUrl(to)} failed and changed none of its data: ${why}`);
  const pointBack = pointAtDatabase(to);
  try {
    let lastPhase = "";
    const result = await restoreBackup({
      file,
      actor,
      source: "cli",
      label: `moved from SQLite (${path.basename(file)})`,
      silent: true,
      onProgress: (phase) => {
        if (phase !== lastPhase) say(`    ${phase}`);
        lastPhase = phase;
      },
    }).catch((error: unknown) => {
      throw failed(error instanceof Error ? error.message : String(error));
    });
    if (!result.ok) throw failed(result.error);
    return result;
  } finally {
    pointBack();
  }
}
