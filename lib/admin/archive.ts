// Archived measurements on their own, as the original's Manage Storage offered them:
// export as JSON (the backup's own record form) or CSV, streamed; and "Clear archive",
// which first writes a copy staff can download, then deletes them all in one transaction,
// telling each owner unless the clear is silent.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { recordAudit } from "@/lib/backup/audit";
import { recordTextPlan } from "@/lib/backup/export/record-text";
import { backupFilename } from "@/lib/backup/format/format";
import { modelByName } from "@/lib/backup/format/schema-model";
import { storedNow, storedToIso } from "@/lib/backup/format/values";
import { databaseUrl, dataDir } from "@/lib/config";
import { readEngine } from "@/lib/db/engine";
import { quoteIdentifier as quote, sqlEngine } from "@/lib/db/engine/transactions";
import type { SqlRunner } from "@/lib/db/engine/write-types";

export const CLEAR_ARCHIVE_WORD = "CONFIRM DELETE";
export type ArchiveFormat = "json" | "csv";

const CHUNK_CHARS = 32 * 1024;
const PAGE_ROWS = 1000;
const ARCHIVED = () => modelByName("ArchivedMeasurement");

/** Groups small strings into chunks of about 32 Ki characters for streaming. */
async function* chunked(parts: AsyncIterable<string>): AsyncGenerator<string> {
  let buffer = "";
  for await (const part of parts) {
    buffer += part;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = "";
    }
  }
  if (buffer) yield buffer;
}

/** The archive in the backup's own record form, read in one snapshot; `counted` learns how many records. */
async function* jsonParts(url: string, counted?: (records: number) => void): AsyncGenerator<string> {
  const snapshot = await readEngine(url).openReadSnapshot([recordTextPlan(ARCHIVED())], { pageSize: PAGE_ROWS });
  try {
    let records = 0;
    yield "[";
    for await (const page of snapshot.recordTextPages(0)) {
      // Each record comes with the ",\n" before it: the first one has no comma.
      yield page.document.toString("utf8", records === 0 ? 1 : 0);
      records += page.count;
    }
    yield records === 0 ? "]\n" : "\n]\n";
    counted?.(records);
  } finally {
    await snapshot.close();
  }
}

const CSV_COLUMNS = [
  "id",
  "username",
  "machine_name",
  "title",
  "measurement_date",
  "duration_hours",
  "status",
  "uploaded_file",
  "notes",
  "related_queue_entry",
  "archived_at",
  "created_at",
  "updated_at",
  "preset_snapshot",
] as const;
type CsvRow = Record<(typeof CSV_COLUMNS)[number], unknown>;
const CSV_DATES = new Set(["measurement_date", "archived_at", "created_at", "updated_at"]);

/** RFC 4180: quote a field that holds a comma, quote or line break; double inner quotes. */
function csvField(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows after key `after`, a page at a time (the common dialect: both engines answer alike). */
function csvPage(db: SqlRunner, after: number): Promise<CsvRow[]> {
  return db.all<CsvRow>(
    `SELECT a.id, u.username, a.machine_name, a.title, a.measurement_date, a.duration_hours, a.status,
            a.uploaded_file, a.notes, a.related_queue_entry_id AS related_queue_entry, a.archived_at,
            a.created_at, a.updated_at, a.preset_snapshot
       FROM ${quote(ARCHIVED().table)} a LEFT JOIN auth_user u ON u.id = a.user_id
      WHERE a.id > ? ORDER BY a.id LIMIT ${PAGE_ROWS}`,
    [after],
  );
}

async function* csvParts(url: string): AsyncGenerator<string> {
  const db = await sqlEngine(url).beginRead();
  try {
    yield `${CSV_COLUMNS.join(",")}\r\n`;
    // Below any key a row has (PostgreSQL's smallest integer: the parameter is one).
    for (let after = -2147483648; ;) {
      const rows = await csvPage(db, after);
      for (const row of rows) {
        const fields = CSV_COLUMNS.map((c) => (CSV_DATES.has(c) && row[c] ? storedToIso(String(row[c])) : row[c]));
        yield `${fields.map(csvField).join(",")}\r\n`;
      }
      if (rows.length < PAGE_ROWS) return;
      after = Number(rows.at(-1)!.id);
    }
  } finally {
    await db.close();
  }
}

/**
 * The archive as text chunks, read in one read transaction (a consistent copy while the app
 * writes), from the database at `url` (DATABASE_URL by default), whichever engine holds it.
 */
export function archiveChunks(format: ArchiveFormat, url = databaseUrl()): AsyncGenerator<string> {
  return chunked(format === "json" ? jsonParts(url) : csvParts(url));
}

function archiveFilename(format: ArchiveFormat, at = new Date()): string {
  return backupFilename(at, format).replace("database_backup_", "archived_measurements_");
}

/**
 * The archive as a download, written to the History when the last byte is sent (or as failed
 * when the download stops): it holds people's measurements, so who took a copy is kept, as for
 * a whole export.
 */
export function archiveResponse(format: ArchiveFormat, actor: string): Response {
  const encoder = new TextEncoder();
  const chunks = archiveChunks(format);
  const startedAt = new Date();
  const hash = createHash("sha256");
  let bytes = 0;
  const record = (result: "ok" | "failed", detail: string) =>
    recordAudit({
      kind: "archive-export",
      source: "ui",
      actor,
      startedAt,
      result,
      bytes,
      sha256: hash.digest("hex"),
      detail,
    });
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next().catch(async (error: unknown) => {
        await record("failed", `Archive as ${format.toUpperCase()}: ${(error as Error).message}`);
        throw error;
      });
      if (next.done) {
        await record("ok", `Archived measurements as ${format.toUpperCase()}`);
        controller.close();
        return;
      }
      const chunk = encoder.encode(next.value);
      hash.update(chunk);
      bytes += chunk.length;
      controller.enqueue(chunk);
    },
    async cancel() {
      await chunks.return(undefined);
      await record("failed", `Archive as ${format.toUpperCase()}: the download stopped before the end`);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": format === "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${archiveFilename(format)}"`,
      "Cache-Control": "no-store",
    },
  });
}

/** Where the copies taken before a clear are kept, and how one is found by name (no paths). */
export function archiveCopiesDir(): string {
  return path.join(dataDir(), "archive-copies");
}

const COPY_NAME = /^archived_measurements_(\d{4}-\d{2}-\d{2})_(\d{2})-(\d{2})-(\d{2})\.json$/;

export function archiveCopyByName(name: string): string | null {
  if (!COPY_NAME.test(name)) return null;
  const file = path.join(archiveCopiesDir(), name);
  return fs.existsSync(file) ? file : null;
}

export interface ArchiveCopy {
  name: string;
  bytes: number;
  /** When the clear took it (from its name, UTC): ISO. */
  takenAt: string;
}

/** Every copy taken before a clear that is still on the disk, newest first: each stays downloadable. */
export function listArchiveCopies(): ArchiveCopy[] {
  const dir = archiveCopiesDir();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .flatMap((name) => {
      const match = COPY_NAME.exec(name);
      if (!match) return [];
      const takenAt = new Date(`${match[1]}T${match[2]}:${match[3]}:${match[4]}Z`).toISOString();
      return [{ name, bytes: fs.statSync(path.join(dir, name)).size, takenAt }];
    })
    .sort((a, b) => b.name.localeCompare(a.name));
}

export interface ClearOutcome {
  removed: number;
  /** The copy written first, downloadable by this name. */
  copy: string;
  copyBytes: number;
  notified: number;
}

/** Writes the archive's JSON to `file` (whole or not at all); returns its size, digest and record count. */
async function writeCopy(file: string): Promise<{ bytes: number; sha256: string; records: number }> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const hash = createHash("sha256");
  let records = -1;
  const out = fs.createWriteStream(partial);
  try {
    for await (const chunk of chunked(jsonParts(databaseUrl(), (n) => (records = n)))) {
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  } catch (error) {
    out.destroy();
    fs.rmSync(partial, { force: true });
    throw error;
  }
  fs.renameSync(partial, file);
  return { bytes: fs.statSync(file).size, sha256: hash.digest("hex"), records };
}

const NOTICE = `INSERT INTO ${quote("calendarEditor_notification")}
    (recipient_id, notification_type, title, message, triggering_user_id, is_read, created_at)
  VALUES (?, 'admin_action', 'Archived measurements cleared', ?, (SELECT id FROM auth_user WHERE username = ?), FALSE, ?)`;

/** Deletes every archived measurement and tells their owners (unless silent), inside `db`'s transaction. */
async function deleteAndNotify(
  db: SqlRunner,
  { actor, silent }: { actor: string; silent: boolean },
): Promise<{ removed: number; notified: number }> {
  const table = quote(ARCHIVED().table);
  const owners = await db.all<{ owner: number; n: number }>(
    `SELECT user_id AS owner, COUNT(*) AS n FROM ${table} GROUP BY user_id ORDER BY user_id`,
  );
  const { changes: removed } = await db.run(`DELETE FROM ${table}`);
  if (silent) return { removed, notified: 0 };
  const now = storedNow();
  for (const { owner, n } of owners) {
    const count = Number(n);
    const message = `${actor} cleared the archive of measurements; ${count} of yours ${count === 1 ? "was" : "were"} removed. Staff kept a copy.`;
    await db.run(NOTICE, [owner, message, actor, now]);
  }
  return { removed, notified: owners.length };
}

/**
 * Deletes every archived measurement after writing a copy of them; all of it or none of it.
 * Other writers of the archive wait from before the copy is read until the delete is committed,
 * so the copy holds exactly the records deleted; a clear that fails leaves no copy behind.
 */
export async function clearArchive({ actor, silent }: { actor: string; silent: boolean }): Promise<ClearOutcome> {
  const startedAt = new Date();
  const name = archiveFilename("json", startedAt);
  const file = path.join(archiveCopiesDir(), name);
  const db = await sqlEngine().beginWrite([ARCHIVED().table]);
  let copy: Awaited<ReturnType<typeof writeCopy>> | null = null;
  let outcome: { removed: number; notified: number };
  try {
    copy = await writeCopy(file);
    outcome = await deleteAndNotify(db, { actor, silent });
    if (outcome.removed !== copy.records) {
      throw new Error(
        `The copy holds ${copy.records} archived measurements but ${outcome.removed} were to be deleted.`,
      );
    }
    await db.commit();
  } catch (error) {
    if (copy) fs.rmSync(file, { force: true });
    throw error;
  } finally {
    await db.close();
  }
  // So Manage Storage shows the space freed (best effort: the clear itself is done).
  await sqlEngine()
    .reclaimSpace([ARCHIVED().table])
    .catch((error: unknown) => console.warn("Could not reclaim the cleared archive's space:", error));
  await recordAudit({
    kind: "clear-archive",
    source: "ui",
    actor,
    startedAt,
    result: "ok",
    bytes: copy.bytes,
    sha256: copy.sha256,
    detail: JSON.stringify({ summary: `${outcome.removed} archived measurements removed; copy ${name}`, ...outcome }),
  });
  return { ...outcome, copy: name, copyBytes: copy.bytes };
}
