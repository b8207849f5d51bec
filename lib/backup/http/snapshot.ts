// Streams a SQLite snapshot file as a download.
import fs from "node:fs";

import { recordAudit, type AuditSource } from "@/lib/backup/audit";
import { backupFilename } from "@/lib/backup/format/format";
import { maintenanceResponse } from "@/lib/backup/http/export";
import { temporarySnapshot } from "@/lib/backup/snapshot";
import { fileSha256 } from "@/lib/backup/verify/source";
import { jsonError } from "@/lib/http/json";
import { collectedWhenDone } from "@/lib/http/memory";
import { streamBody } from "@/lib/http/stream-body";

export function fileDownload(
  file: string,
  filename: string,
  {
    deleteAfter = false,
    contentType = "application/vnd.sqlite3",
    signal,
  }: { deleteAfter?: boolean; contentType?: string; signal?: AbortSignal } = {},
): Response {
  const bytes = fs.statSync(file).size;
  // 1 MiB reads: the default 64 KiB makes the web-stream hand-off the bottleneck.
  const stream = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  if (deleteAfter) stream.on("close", () => fs.rmSync(file, { force: true }));
  // Also when the client went away before the body was read: the file is closed (and deleted).
  if (signal?.aborted) stream.destroy();
  else signal?.addEventListener("abort", () => stream.destroy());
  return new Response(streamBody(collectedWhenDone<Buffer>(stream), { signal }), {
    headers: {
      "Content-Type": contentType,
      "Content-Length": String(bytes),
      "Content-Disposition": `attachment; filename=${filename}`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

export async function snapshotResponse(
  who: { source: AuditSource; actor: string },
  signal?: AbortSignal,
): Promise<Response> {
  const busy = maintenanceResponse();
  if (busy) return busy;
  const startedAt = new Date();
  try {
    const snapshot = await temporarySnapshot();
    const name = backupFilename(startedAt, "sqlite3").replace("backup", "snapshot");
    await recordAudit({
      kind: "snapshot",
      ...who,
      startedAt,
      result: "ok",
      bytes: snapshot.bytes,
      sha256: await fileSha256(snapshot.file),
      detail: JSON.stringify({ summary: name, file: name }),
    });
    return fileDownload(snapshot.file, name, { deleteAfter: true, signal });
  } catch (error) {
    const message = (error as Error).message;
    await recordAudit({ kind: "snapshot", ...who, startedAt, result: "failed", detail: message });
    return jsonError(500, `The snapshot could not be made: ${message}`);
  }
}
