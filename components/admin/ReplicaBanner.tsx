import Link from "next/link";

import { replicaStatus } from "@/lib/offsite/replica/status";

/** On every admin page while the continuous replica is configured but not keeping up: what the status route answers 503 for. */
export async function ReplicaBanner() {
  const status = await replicaStatus();
  if (!status?.problem) return null;
  return (
    <div role="alert" className="border-b border-red-300 bg-red-50 text-red-900" data-testid="replica-banner">
      <p className="mx-auto max-w-6xl px-4 py-2 text-sm">
        <strong>Recent changes are not being copied off this server:</strong> {status.problem}{" "}
        <Link href="/admin/storage#replica-heading" className="underline">
          See Continuous replica
        </Link>
      </p>
    </div>
  );
}
