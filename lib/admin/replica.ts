// The Continuous replica card on Manage Storage: where the replica is, how far behind, how
// far back it reaches, and "Restore to a point in time", which restores the replica at the
// chosen second into the uploads folder and hands it to the same dry run, confirmation and
// one-transaction restore as an uploaded snapshot.
import fs from "node:fs";

import { z } from "zod";

import { dryRunOfUpload, type DryRun } from "@/lib/admin/upload";
import { ActionError, staffAction } from "@/lib/auth/staff-action";
import { readMaintenance } from "@/lib/backup/maintenance";
import { discardUpload, saveUpload } from "@/lib/backup/uploads";
import { maxUploadBytes, replicaSettings } from "@/lib/config";
import { formatDateTime } from "@/lib/format";
import { ReplicaRestoreError } from "@/lib/offsite/replica/restore";
import { replicaCopy } from "@/lib/offsite/replica/source";
import { replicaStatus, type ReplicaStatus } from "@/lib/offsite/replica/status";

/** The card's figures, as plain data for the browser (dates as ISO strings); null when no replica is configured. */
export interface ReplicaCard {
  destination: string;
  encrypted: boolean;
  state: ReplicaStatus["state"];
  restarts: number;
  lastShippedAt: string | null;
  lagMs: number | null;
  maxLagMs: number;
  window: { from: string; to: string } | null;
  problem: string | null;
  /** Why Litestream last stopped, in its own words (for whoever looks at the server). */
  lastStop: string | null;
}

export async function replicaCard(): Promise<ReplicaCard | null> {
  const status = await replicaStatus();
  if (!status) return null;
  return {
    destination: status.destination,
    encrypted: status.encrypted,
    state: status.state,
    restarts: status.restarts,
    lastShippedAt: status.lastShippedAt?.toISOString() ?? null,
    lagMs: status.lagMs,
    maxLagMs: status.maxLagMs,
    window: status.window ? { from: status.window.from.toISOString(), to: status.window.to.toISOString() } : null,
    problem: status.problem,
    lastStop: status.lastExit ? `${status.lastExit.detail} (${status.lastExit.at})` : null,
  };
}

const pointInTime = z.object({
  at: z.iso.datetime({ offset: true, message: "Choose a date and a time." }),
});

function label(at: Date): string {
  return `replica at ${formatDateTime(at, { to: "second" })}`;
}

export const fetchReplicaForRestore = staffAction(pointInTime, async ({ at }, staff) => {
  if (!replicaSettings()) throw new ActionError("No continuous replica is configured on this server.");
  if (readMaintenance()) throw new ActionError("A restore is running; try again when it has finished.");
  // The chosen second: the data as it was when that second began.
  const timestamp = new Date(Math.floor(new Date(at).getTime() / 1000) * 1000);
  if (timestamp.getTime() > Date.now()) throw new ActionError("That moment is in the future: choose one in the past.");
  let copy: string;
  try {
    copy = await replicaCopy(timestamp);
  } catch (error) {
    if (error instanceof ReplicaRestoreError) throw new ActionError(error.message);
    throw error;
  }
  let saved: { id: string; bytes: number };
  try {
    // The copy records the chosen second inside (replicaCopy): the dry run shows it as when the data was taken.
    saved = await saveUpload(fs.createReadStream(copy), maxUploadBytes());
  } finally {
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${copy}${suffix}`, { force: true });
  }
  try {
    const dryRun: DryRun = await dryRunOfUpload(saved, {
      fileName: label(timestamp),
      encrypted: false,
      username: staff.username,
    });
    return { ok: true as const, dryRun };
  } catch (error) {
    discardUpload(saved.id);
    throw error;
  }
});
