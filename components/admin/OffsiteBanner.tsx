import Link from "next/link";

import { ageInWords, hoursInWords } from "@/lib/format";
import { offsiteStatus } from "@/lib/offsite/watch";

/** On every admin page while the off-site backup is overdue: amber past the limit, red past twice it or never. */
export async function OffsiteBanner() {
  const status = await offsiteStatus();
  if (status.level === "ok") return null;
  const red = status.level === "never" || status.ageHours! > 2 * status.maxAgeHours;
  const tone = red ? "border-red-300 bg-red-50 text-red-900" : "border-amber-300 bg-amber-50 text-amber-950";
  return (
    <div role="alert" className={`border-b ${tone}`} data-testid="offsite-banner" data-level={red ? "red" : "amber"}>
      <p className="mx-auto max-w-6xl px-4 py-2 text-sm">
        {status.level === "never" ? (
          <>
            <strong>No off-site backup yet:</strong> the lab&apos;s data exists only on this server.{" "}
          </>
        ) : (
          <>
            <strong>Off-site backup overdue:</strong> the last one was taken {ageInWords(status.lastBackupAt!)}; they
            should come at least every {hoursInWords(status.maxAgeHours)}.{" "}
          </>
        )}
        <Link href="/admin/storage#offsite-heading" className="underline">
          See Off-site backups
        </Link>
      </p>
    </div>
  );
}
