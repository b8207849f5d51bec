// Lifting a client address's sign-in lock from Manage Storage's Sign-in failures card: a whole
// lab behind one address, locked out by a few people's mistyped passwords. A username's lock
// is lifted on the Users page (user-actions.ts).
import { z } from "zod";

import { recordAccountChange } from "@/lib/admin/account-history";
import type { AccountRow } from "@/lib/auth/accounts";
import { liftSignInLock } from "@/lib/auth/sign-in";
import { staffAction } from "@/lib/auth/staff-action";
import { waitInWords } from "@/lib/format";

export const LiftAddressInput = z.object({
  address: z.string({ error: "Say which address." }).trim().min(1, "Say which address.").max(100),
});

/** Lets everyone from a client address try again now: its failures and lock are cleared, not its usernames'. */
export async function liftAddress(input: z.infer<typeof LiftAddressInput>, staff: AccountRow) {
  const startedAt = new Date();
  const lock = await liftSignInLock("address", input.address);
  if (!lock) return { ok: true as const, summary: `${input.address} was not locked (any more).` };
  const why = `locked after ${lock.failures} failed sign-ins, ${waitInWords(lock.seconds)} left`;
  await recordAccountChange(staff, `Lifted the sign-in lock of the address ${input.address} (${why})`, startedAt);
  return { ok: true as const, summary: `Sign-ins from ${input.address} can try again now.` };
}
export const liftAddressLock = staffAction(LiftAddressInput, liftAddress);
