import { Card } from "@/components/ui/Card";
import { formatBytes, formatCount, plural } from "@/lib/format";

/**
 * In place of the archive panel on a PostgreSQL database: exporting and clearing the archive on
 * its own reads the SQLite file (lib/admin/archive.ts) and has not moved behind the engine seam.
 */
export function ArchiveNotForThisDatabase({ rows, bytes }: { rows: number; bytes: number }) {
  return (
    <Card id="archive" title="Archived measurements" testId="archive-panel">
      <p className="text-sm text-slate-700" data-testid="archive-count">
        {formatCount(rows)} archived {plural(rows, "measurement")}, {formatBytes(bytes)} of the database.
      </p>
      <p className="mt-2 text-sm text-slate-700" data-testid="archive-sqlite-only">
        Exporting or clearing the archive on its own works on a SQLite database only for now. The complete export above
        holds every archived measurement.
      </p>
    </Card>
  );
}
