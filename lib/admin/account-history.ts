// Every change staff make to accounts and sign-ins goes to the History the same way: kind
// "account", in the browser, under who made it, with one sentence saying what changed.
import type { AccountRow } from "@/lib/auth/accounts";
import { recordAudit } from "@/lib/backup/audit";

export async function recordAccountChange(staff: AccountRow, summary: string, startedAt: Date): Promise<void> {
  await recordAudit({
    kind: "account",
    source: "ui",
    actor: staff.username,
    startedAt,
    result: "ok",
    detail: JSON.stringify({ summary }),
  });
}
