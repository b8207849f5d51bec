// npm run backup:keygen
// Prints a new age key pair for encrypted backups, and where each half goes.
import { runCli } from "@/lib/cli";
import { newKeyPair } from "@/lib/offsite/encryption";

runCli(async () => {
  const { identity, recipient } = await newKeyPair();
  console.log(`Public key (safe to share):\n  ${recipient}\n`);
  console.log(`Private key (keep secret, never commit it):\n  ${identity}\n`);
  console.log(
    "The public key goes where backups are made: the repository variable BACKUP_ENCRYPT_TO (GitHub → Settings → " +
      "Secrets and variables → Actions → Variables), or BACKUP_ENCRYPT_TO on the server. Anyone may see it; it can " +
      "only lock files. The private key is the only way to open those backups: store it in the lab's password " +
      "manager, and give it to the restore drill as the secret BACKUP_AGE_IDENTITY. Save it now, in a file with " +
      "just that line, to restore on a laptop: `age -d -i key.txt backup.json.age > backup.json`, or " +
      "`npm run db:restore -- backup.json.age --identity key.txt`. Lose it and the encrypted backups cannot be opened.",
  );
});
