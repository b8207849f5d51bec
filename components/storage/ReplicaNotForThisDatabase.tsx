import { Card } from "@/components/ui/Card";

/** In place of the replica card on a PostgreSQL database: continuous replication here is SQLite's (Litestream). */
export function ReplicaNotForThisDatabase() {
  return (
    <Card id="replica" title="Continuous replica" testId="replica-card">
      <p className="text-sm text-slate-700" data-testid="replica-sqlite-only">
        The continuous replica applies to a SQLite database. This lab&apos;s database is PostgreSQL: its provider&apos;s
        point-in-time recovery keeps every change, and the exports here and in Cloud Backups keep copies you own.
      </p>
    </Card>
  );
}
