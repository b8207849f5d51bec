// What of the off-site backups is set up on this server, for the words Manage Storage gives a
// lab manager: whether the weekly job can fetch anything at all (the export answers 503 "not
// configured" without a backup key), and whether the server pushes copies itself.
import { backupApiKey, pushEveryMs, s3Settings } from "@/lib/config";

export interface OffsiteSetup {
  /** BACKUP_API_KEY is set: the weekly GitHub workflow can fetch the export. */
  exportKey: boolean;
  /** How often this server pushes a backup to object storage itself; null when it does not. */
  pushEveryMs: number | null;
}

/** Read from the configuration; never the key itself, only whether there is one. */
export function offsiteSetup(): OffsiteSetup {
  const every = pushEveryMs();
  return {
    exportKey: backupApiKey() !== undefined,
    pushEveryMs: every !== undefined && s3Settings() !== undefined ? every : null,
  };
}
