// An export on its way to someone (the staff download, the backup API): the document's
// bytes in the form asked for, and the History entry once the download has ended — made as
// the client got it, not as the export finished. The server's part (slots, refusals, headers)
// is lib/http/export.ts.
import { recordAudit, type AuditSource } from "@/lib/backup/audit";
import { createExport, EXPORT_INTERRUPTED } from "@/lib/backup/export/export";
import { gzipMembers } from "@/lib/backup/export/gzip-members";
import { gzipSingleMember } from "@/lib/backup/export/gzip-single";

/**
 * - `json`: the document as it is;
 * - `json.gz`: a gzip file of several members, as the CLI writes it (export/gzip-members.ts);
 * - `gzip-in-transit`: the document gzipped as one member, for `Content-Encoding: gzip`
 *   (export/gzip-single.ts says why a response cannot carry several).
 */
export type ExportForm = "json" | "json.gz" | "gzip-in-transit";

export interface ExportDownload {
  /** database_backup_<UTC time>.json: the document's name, whatever the form. */
  filename: string;
  chunks: AsyncIterable<Buffer>;
  /** Call once the download has ended: `whole` when the client got every byte. */
  ended(whole: boolean): void;
}

export function startExportDownload(who: { source: AuditSource; actor: string }, form: ExportForm): ExportDownload {
  const startedAt = new Date();
  // One thread: on the server the second core answers other requests and gzips. Measured at
  // 100k, a second text thread made the .json.gz ~15 % faster but the server ~20 MiB larger
  // after one export and ~45 MiB after eight (the CLIs, alone on the machine, use it).
  const backup = createExport({ thread: false });
  let ended!: (whole: boolean) => void;
  const delivered = new Promise<boolean>((resolve) => (ended = resolve));
  // A gzipped form compresses a few chunks ahead, so a small export can finish before a
  // client that went away had read it all: the History follows the client.
  const failed = (detail: string) => recordAudit({ kind: "export", ...who, startedAt, result: "failed", detail });
  Promise.all([backup.summary, delivered]).then(
    ([s, whole]) =>
      whole
        ? recordAudit({
            kind: "export",
            ...who,
            startedAt,
            result: s.complete ? "ok" : "failed",
            bytes: s.bytes,
            sha256: s.documentSha256,
            detail: JSON.stringify({ ...s.counts, records_sha256: s.sha256, file: backup.filename }),
          })
        : failed(EXPORT_INTERRUPTED),
    (error: Error) => failed(error.message),
  );
  const chunks =
    form === "json.gz"
      ? gzipMembers(backup.chunks)
      : form === "gzip-in-transit"
        ? gzipSingleMember(backup.chunks)
        : backup.chunks;
  return { filename: backup.filename, chunks, ended };
}
