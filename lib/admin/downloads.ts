// What Manage Storage polls after a download click: the signed-in person's downloads since
// the last one it knew of, each with the file's name, size and SHA-256 as the History keeps them.
import { z } from "zod";

import { downloadsSince } from "@/lib/backup/audit";

/** ?after=ID: anything that is not a whole number from 0 counts as 0 (every download). */
export const downloadsInput = z.object({ after: z.coerce.number().int().min(0).catch(0) });

export async function recentDownloads(after: number, username: string) {
  const rows = await downloadsSince(after, username);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    result: r.result,
    file: fileNamed(r.detail) ?? r.kind,
    bytes: r.bytes,
    sha256: r.sha256,
  }));
}

function fileNamed(detail: string): string | null {
  try {
    const file = (JSON.parse(detail) as { file?: unknown }).file;
    return file === undefined || file === null ? null : String(file);
  } catch {
    // An older event without a file name.
    return null;
  }
}
