// Writes an export to disk: into `<name>.partial` first and renamed only when complete,
// so an interrupted export never leaves a file that looks like a finished backup.
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import { createExport, type ExportOptions, type ExportSummary } from "@/lib/backup/export/export";
import { gzipMembers } from "@/lib/backup/export/gzip-members";

export async function writeExportToFile(
  out: string,
  options: ExportOptions & { gzip?: boolean } = {},
): Promise<ExportSummary & { file: string; fileBytes: number }> {
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const partial = `${out}.partial`;
  const backup = createExport(options);
  try {
    const gzip = options.gzip ?? out.endsWith(".gz");
    await pipeline(Readable.from(gzip ? gzipMembers(backup.chunks) : backup.chunks), fs.createWriteStream(partial));
    const summary = await backup.summary;
    fs.renameSync(partial, out);
    return { ...summary, file: out, fileBytes: fs.statSync(out).size };
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}
