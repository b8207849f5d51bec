// npm run user:create -- --username NAME [--email E] [--staff] [--superuser]
// The password comes from USER_PASSWORD when set, otherwise it is asked for.
import { createAccount } from "@/lib/auth/accounts";
import { NewAccountInput } from "@/lib/auth/new-account";
import { cliArgs, prompt, runCli } from "@/lib/cli";
import { newAccountPassword } from "@/lib/config";

runCli(async () => {
  const { values } = cliArgs({
    username: { type: "string" },
    email: { type: "string" },
    staff: { type: "boolean" },
    superuser: { type: "boolean" },
  });
  const password = newAccountPassword() ?? (await prompt("Password: ", { hidden: true }));
  const input = NewAccountInput.safeParse({ ...values, password });
  if (!input.success) throw new Error(input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const account = await createAccount(input.data);
  const role = account.isSuperuser ? "superuser" : account.isStaff ? "staff" : "regular user";
  console.log(`Created ${role} "${account.username}" (id ${account.id}).`);
});
