// Litestream keeps two tables of its own in the database it replicates (_litestream_seq,
// _litestream_lock: it writes to them to control checkpoints). They are its bookkeeping, not
// the lab's data: storage figures, checks and snapshots leave them out.

export function isLitestreamTable(name: string): boolean {
  return name.startsWith("_litestream_");
}

/** An SQL condition on a `name` column (of sqlite_master) that leaves Litestream's tables out. */
export const NOT_LITESTREAM_TABLE = "name NOT LIKE '\\_litestream\\_%' ESCAPE '\\'";
