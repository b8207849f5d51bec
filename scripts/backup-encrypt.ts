// npm run backup:encrypt -- FILE --out FILE.age [--to age1…,age1…]
// Encrypts a backup file with age for the given public keys (default: BACKUP_ENCRYPT_TO).
// Used by the weekly job on the plaintext it downloaded outside the branch's work tree.
import { cliArgs, runCli } from "@/lib/cli";
import { backupEncryptTo } from "@/lib/config";
import { encryptFile, parseRecipients } from "@/lib/offsite/encryption";

runCli(async () => {
  const { values, positionals } = cliArgs({ out: { type: "string" }, to: { type: "string" } }, true);
  const source = positionals[0];
  const to = values.to ?? backupEncryptTo();
  if (!source || !values.out || !to)
    throw new Error("Usage: npm run backup:encrypt -- FILE --out FILE.age [--to age1…]");
  await encryptFile(source, values.out, parseRecipients(to));
});
