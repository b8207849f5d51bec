// A complete-database export written straight into an age-encrypted file (optionally gzipped
// inside): the plaintext never touches the disk.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { Readable } from "node:stream";

import { createExport, type ExportSummary } from "@/lib/backup/export/export";
import { gzipMembers } from "@/lib/backup/export/gzip-members";
import { encryptStream } from "@/lib/offsite/encryption";

export async function writeEncryptedExport(
  out: string,
  recipients: string[],
  { gzip = false, file }: { gzip?: boolean; file?: string } = {},
): Promise<ExportSummary & { file: string; fileBytes: number; fileSha256: string }> {
  const backup = createExport({ file });
  await encryptStream(Readable.from(gzip ? gzipMembers(backup.chunks) : backup.chunks), out, recipients);
  const summary = await backup.summary;
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(out)) hash.update(chunk as Buffer);
  return { ...summary, file: out, fileBytes: fs.statSync(out).size, fileSha256: hash.digest("hex") };
}
