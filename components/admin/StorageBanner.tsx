import Link from "next/link";

import { storageFigures } from "@/lib/admin/stats";
import { formatBytes } from "@/lib/format";

/** On every admin page once the database reaches the critical share of its planned size. */
export async function StorageBanner() {
  const storage = await storageFigures();
  if (storage.level !== "critical") return null;
  return (
    <div role="alert" className="border-b border-red-300 bg-red-50" data-testid="storage-banner">
      <p className="mx-auto max-w-6xl px-4 py-2 text-sm text-red-900">
        <strong>Storage critical:</strong> the database uses {formatBytes(storage.databaseBytes + storage.walBytes)},{" "}
        {Math.round(storage.percentUsed)} % of the {formatBytes(storage.maxBytes)} planned.{" "}
        <Link href="/admin/storage" className="underline">
          Manage Storage
        </Link>
      </p>
    </div>
  );
}
