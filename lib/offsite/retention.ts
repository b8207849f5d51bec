// Which off-site backups to keep: every backup younger than 48 hours, then the newest backup of
// each of the last `daily` days that have one, and of each of the last `weekly` Sundays (UTC),
// the grandfather-father-son scheme of most backup tools in its two-level form. The newest
// backup is always kept. The 48 hours matter when pushes come every few hours: a backup someone
// has just restored from, or is about to, must not vanish at the next push because a later one
// was made the same day.
import type { OffsiteBackup } from "@/lib/offsite/targets/target";

/** How a push's History entry says its copy is stored but retention failed. */
export const OLD_BACKUPS_NOT_DELETED = "old backups were not deleted";

/** Appended to a push's History entry when retention failed after the upload ("" when it did not). */
export function notDeletedWords(error: string | null | undefined): string {
  return error ? `; ${OLD_BACKUPS_NOT_DELETED}: ${error}` : "";
}

/** Read back from a successful push's History entry: why old backups were kept, as a sentence; null when none. */
export function notDeletedWarning(detail: string): string | null {
  const at = detail.indexOf(OLD_BACKUPS_NOT_DELETED);
  if (at < 0) return null;
  const words = detail.slice(at).replace(/\.$/, "");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface RetentionPlan {
  keep: OffsiteBackup[];
  remove: OffsiteBackup[];
}

const dayOf = (b: OffsiteBackup) => b.date.toISOString().slice(0, 10);

/** The newest backup of each day, newest day first. */
function newestPerDay(backups: OffsiteBackup[]): OffsiteBackup[] {
  const byDay = new Map<string, OffsiteBackup>();
  for (const b of [...backups].sort((x, y) => y.date.getTime() - x.date.getTime())) {
    if (!byDay.has(dayOf(b))) byDay.set(dayOf(b), b);
  }
  return [...byDay.values()];
}

/** No backup younger than this is ever deleted. */
export const KEEP_ALL_YOUNGER_THAN_MS = 48 * 3_600_000;

export function planRetention(
  backups: OffsiteBackup[],
  keep: { daily: number; weekly: number },
  now = new Date(),
): RetentionPlan {
  const days = newestPerDay(backups);
  const kept = new Set<OffsiteBackup>(days.slice(0, keep.daily));
  for (const b of backups) if (now.getTime() - b.date.getTime() < KEEP_ALL_YOUNGER_THAN_MS) kept.add(b);
  for (const sunday of days.filter((b) => b.date.getUTCDay() === 0).slice(0, keep.weekly)) kept.add(sunday);
  if (days[0]) kept.add(days[0]);
  const byDate = (a: OffsiteBackup, b: OffsiteBackup) => b.date.getTime() - a.date.getTime();
  return {
    keep: backups.filter((b) => kept.has(b)).sort(byDate),
    remove: backups.filter((b) => !kept.has(b)).sort(byDate),
  };
}
