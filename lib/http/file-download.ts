// A file on disk sent as a download, a MiB at a time.
import fs from "node:fs";

import { recordAudit, type AuditKind, type AuditSource } from "@/lib/backup/audit";
import { SNAPSHOT_DOWNLOAD_INTERRUPTED } from "@/lib/backup/snapshot";
import { collectedWhenDone } from "@/lib/http/memory";
import { streamBody } from "@/lib/http/stream-body";

export function fileDownload(
  file: string,
  filename: string,
  {
    deleteAfter = false,
    contentType = "application/vnd.sqlite3",
    signal,
    onEnd,
  }: { deleteAfter?: boolean; contentType?: string; signal?: AbortSignal; onEnd?: (whole: boolean) => void } = {},
): Response {
  const bytes = fs.statSync(file).size;
  // 1 MiB reads: the default 64 KiB makes the web-stream hand-off the bottleneck.
  const stream = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  if (deleteAfter) stream.on("close", () => fs.rmSync(file, { force: true }));
  // Also when the client went away before the body was read: the file is closed (and deleted).
  if (signal?.aborted) stream.destroy();
  else signal?.addEventListener("abort", () => stream.destroy());
  return new Response(streamBody(collectedWhenDone<Buffer>(stream), { signal, onEnd }), {
    headers: {
      "Content-Type": contentType,
      "Content-Length": String(bytes),
      "Content-Disposition": `attachment; filename=${filename}`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/**
 * A kept file (a safety snapshot, the copy taken before an archive was cleared) sent to staff,
 * in the History when the last byte is sent, or as failed when the client left before: these
 * hold the lab's data (a safety snapshot, every password hash) as much as a fresh download does.
 */
export function recordedFileDownload(
  file: string,
  filename: string,
  {
    kind,
    who,
    what,
    contentType,
    signal,
  }: {
    kind: Extract<AuditKind, "snapshot" | "archive-export">;
    who: { source: AuditSource; actor: string };
    /** The History's words for the file: "Safety snapshot …". */
    what: string;
    contentType?: string;
    signal?: AbortSignal;
  },
): Response {
  const startedAt = new Date();
  const bytes = fs.statSync(file).size;
  return fileDownload(file, filename, {
    contentType,
    signal,
    onEnd: (whole) =>
      void recordAudit({
        kind,
        ...who,
        startedAt,
        ...(whole
          ? { result: "ok", bytes, detail: JSON.stringify({ summary: what, file: filename }) }
          : { result: "failed", detail: `${what}: ${SNAPSHOT_DOWNLOAD_INTERRUPTED}` }),
      }),
  });
}
