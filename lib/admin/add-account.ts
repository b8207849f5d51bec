// Adding a colleague's account from the Users page, as `npm run user:create` does on a shell:
// a password is made and shown once; only a superuser makes a staff account, as only a
// superuser grants staff rights afterwards.
import { z } from "zod";

import { recordAccountChange } from "@/lib/admin/account-history";
import { refuseUnlessSuperuser } from "@/lib/admin/user-actions";
import { createAccount, type AccountRow } from "@/lib/auth/accounts";
import { madePassword, Username } from "@/lib/auth/new-account";
import { ActionError, staffAction } from "@/lib/auth/staff-action";
import { prisma } from "@/lib/db/prisma";

export const AddAccountInput = z.object({
  username: z.string().trim().pipe(Username),
  email: z.union([z.literal(""), z.email("That is not an email address.")]).default(""),
  staff: z.boolean().default(false),
});

export async function addAccount(input: z.infer<typeof AddAccountInput>, staff: AccountRow) {
  const startedAt = new Date();
  if (input.staff) refuseUnlessSuperuser(staff, "Only a superuser makes a staff account. Ask a superuser.");
  // Usernames differ by case in Django, but two that differ only so are one person to the lab.
  const taken = await prisma().user.findMany({ select: { username: true } });
  const same = taken.find((u) => u.username.toLowerCase() === input.username.toLowerCase());
  if (same) throw new ActionError(`There is an account named ${same.username} already.`);
  const password = madePassword();
  const account = await createAccount({ username: input.username, password, email: input.email, staff: input.staff });
  await recordAccountChange(
    staff,
    `Added the account ${account.username}${input.staff ? " (staff)" : ""}${input.email ? `, ${input.email}` : ""}`,
    startedAt,
  );
  return { ok: true as const, username: account.username, shownOnce: password };
}
export const addAccountAs = staffAction(AddAccountInput, addAccount);
