// The Safety snapshots card: each snapshot in words (what it was taken before, when, what it
// holds), and the dry run of rolling back to one, the same check and comparison as an upload's.
import { z } from "zod";

import { comparedWithDatabase, type DryRun } from "@/lib/admin/upload";
import { ActionError, staffAction } from "@/lib/auth/staff-action";
import { restoreBeforeSnapshot } from "@/lib/backup/audit";
import { modelNoun } from "@/lib/backup/format/labels";
import { BACKUP_MODELS } from "@/lib/backup/format/schema-model";
import { readMaintenance } from "@/lib/backup/maintenance";
import { listSafetySnapshots, safetySnapshotByName, type SafetySnapshot } from "@/lib/backup/snapshot";
import { describePurpose, snapshotInWords } from "@/lib/backup/snapshot-info";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { formatCount, plural } from "@/lib/format";

export interface SafetySnapshotRow {
  name: string;
  bytes: number;
  /** When it was taken (recorded inside it, or in its name): ISO. */
  takenAt: string;
  /** "before restoring lab.json (merge, by ada)". */
  about: string;
  /** "1,836 rows: 12 users, 12 machines, …", when it recorded them. */
  holds: string | null;
}

/** "1,836 rows: 12 users, 12 machines, 1,200 queue entries, …" in the schema's order. */
export function countsInWords(counts: Record<string, number>): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const parts = BACKUP_MODELS.map((m) => {
    const n = counts[m.label] ?? 0;
    const noun = modelNoun(m.name);
    return `${formatCount(n)} ${plural(n, noun.one, noun.many)}`;
  });
  return `${formatCount(total)} ${plural(total, "row")}: ${parts.join(", ")}`;
}

/** What a snapshot was taken before, in words: as it records it, else as the History tells it. */
async function aboutOf(snapshot: SafetySnapshot): Promise<string> {
  if (snapshot.purpose) return describePurpose(snapshot.purpose);
  return (await restoreBeforeSnapshot(snapshot.name)) ?? "taken before a restore (this older snapshot says no more)";
}

export async function safetySnapshotRows(): Promise<SafetySnapshotRow[]> {
  return Promise.all(
    listSafetySnapshots().map(async (s) => ({
      name: s.name,
      bytes: s.bytes,
      takenAt: s.createdAt.toISOString(),
      about: await aboutOf(s),
      holds: s.counts ? countsInWords(s.counts) : null,
    })),
  );
}

/** "the safety snapshot before restoring lab.json (merge, by ada), taken 2026-12-05 02:53 UTC": how a roll back names it. */
export async function rollbackTarget(snapshot: SafetySnapshot): Promise<string> {
  return `the safety snapshot ${snapshotInWords(snapshot, await aboutOf(snapshot))}`;
}

const PreviewInput = z.object({ snapshot: z.string().max(100) });

/** The dry run of rolling back to a safety snapshot: nothing changes until the roll back is confirmed. */
export const previewRollbackToSnapshot = staffAction(PreviewInput, async ({ snapshot: name }, staff) => {
  if (readMaintenance()) throw new ActionError("A restore is running; try again when it has finished.");
  const snapshot = safetySnapshotByName(name);
  if (!snapshot)
    throw new ActionError("That safety snapshot is no longer kept. Reload the page to see those that are.");
  const report = await verifyBackupFile(snapshot.file);
  const dryRun: DryRun = {
    uploadId: null,
    fileName: await rollbackTarget(snapshot),
    bytes: snapshot.bytes,
    encrypted: false,
    ...(await comparedWithDatabase(report, staff.username)),
  };
  return { ok: true as const, dryRun };
});
