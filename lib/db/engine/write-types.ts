// The engine seam, write side: restore, merge, roll back and safety snapshots. Filled in by the
// PostgreSQL restore work (bulk insert / COPY, exclusive write, sequences, broken-reference and
// integrity checks, safety snapshot); the read side is types.ts.
import type { DatabaseEngine } from "@/lib/config";

export interface WriteEngine {
  readonly kind: DatabaseEngine;
}
