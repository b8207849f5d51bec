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
import { databasePath, dataDir } from "@/lib/config";
import { recordTextPages } from "@/lib/db/engine/sqlite/record-text";
import { openSqlite, type Sqlite } from "@/lib/db/sqlite";

export const CLEAR_ARCHIVE_WORD = "CONFIRM DELETE";
export type ArchiveFormat = "json" | "csv";

const CHUNK_CHARS = 32 * 1024;
const ARCHIVED = () => modelByName("ArchivedMeasurement");

/** Groups small strings into chunks of about 32 Ki characters for streaming. */
function* chunked(parts: Iterable<string>): Generator<string> {
  let buffer = "";
  for (const part of parts) {
    buffer += part;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = "";
    }
  }
  if (buffer) yield buffer;
}

function* jsonParts(db: Sqlite): Generator<string> {
  let first = true;
  yield "[";
  for (const page of recordTextPages(db, recordTextPlan(ARCHIVED()))) {
    // Each record comes with the ",\n" before it: the first one has no comma.
    yield page.document.toString("utf8", first ? 1 : 0);
    first = false;
  }
  yield first ? "]\n" : "\n]\n";
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

/** RFC 4180: quote a field that holds a comma, quote or line break; double inner quotes. */
function csvField(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function* csvParts(db: Sqlite): Generator<string> {
  yield `${CSV_COLUMNS.join(",")}\r\n`;
  const rows = db
    .prepare(
      `SELECT a.id, u.username, a.machine_name, a.title, a.measurement_date, a.duration_hours, a.status,
              a.uploaded_file, a.notes, a.related_queue_entry_id AS related_queue_entry, a.archived_at,
              a.created_at, a.updated_at, a.preset_snapshot
       FROM ${ARCHIVED().table} a LEFT JOIN auth_user u ON u.id = a.user_id ORDER BY a.id`,
    )
    .iterate() as Iterable<Record<(typeof CSV_COLUMNS)[number], unknown>>;
  const dates = new Set(["measurement_date", "archived_at", "created_at", "updated_at"]);
  for (const row of rows) {
    const fields = CSV_COLUMNS.map((c) => (dates.has(c) && row[c] ? storedToIso(String(row[c])) : row[c]));
    yield `${fields.map(csvField).join(",")}\r\n`;
  }
}

/** The archive as text chunks, read in one read transaction (a consistent copy while the app writes). */
export async function* archiveChunks(format: ArchiveFormat, file = databasePath()): AsyncGenerator<string> {
  const db = openSqlite(file, { readonly: true });
  try {
    db.exec("BEGIN");
    yield* chunked(format === "json" ? jsonParts(db) : csvParts(db));
  } finally {
    if (db.inTransaction) db.exec("COMMIT");
    db.close();
  }
}

function archiveFilename(format: ArchiveFormat, at = new Date()): string {
  return backupFilename(at, format).replace("database_backup_", "archived_measurements_");
}

export function archiveResponse(format: ArchiveFormat): Response {
  const encoder = new TextEncoder();
  const chunks = archiveChunks(format);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
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

async function writeCopy(file: string): Promise<{ bytes: number; sha256: string }> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const hash = createHash("sha256");
  const out = fs.createWriteStream(partial);
  for await (const chunk of archiveChunks("json")) {
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  fs.renameSync(partial, file);
  return { bytes: fs.statSync(file).size, sha256: hash.digest("hex") };
}

/** Deletes every archived measurement after writing a copy of them; all of it or none of it. */
export async function clearArchive({ actor, silent }: { actor: string; silent: boolean }): Promise<ClearOutcome> {
  const startedAt = new Date();
  const name = archiveFilename("json", startedAt);
  const copy = await writeCopy(path.join(archiveCopiesDir(), name));
  const db = openSqlite(databasePath());
  try {
    const outcome = db.transaction(() => {
      const owners = db
        .prepare(`SELECT user_id AS user, COUNT(*) AS n FROM ${ARCHIVED().table} GROUP BY user_id`)
        .all() as { user: number; n: number }[];
      const removed = db.prepare(`DELETE FROM ${ARCHIVED().table}`).run().changes;
      const notice = db.prepare(
        `INSERT INTO calendarEditor_notification (recipient_id, notification_type, title, message, triggering_user_id, is_read, created_at)
         VALUES (?, 'admin_action', 'Archived measurements cleared', ?, (SELECT id FROM auth_user WHERE username = ?), 0, ?)`,
      );
      const now = storedNow();
      if (!silent) {
        for (const { user, n } of owners) {
          notice.run(
            user,
            `${actor} cleared the archive of measurements; ${n} of yours ${n === 1 ? "was" : "were"} removed. Staff kept a copy.`,
            actor,
            now,
          );
        }
      }
      return { removed, notified: silent ? 0 : owners.length };
    })();
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
  } finally {
    db.close();
  }
}
