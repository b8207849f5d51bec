// npm run db:check-replica
// Restores the continuous replica (BACKUP_REPLICA_URL) to a temporary file and compares it with
// the live database at the same position; the result goes to the History, as the weekly
// check's does. Exit code 0 when they match, 2 when not (or the replica cannot be restored).
import { runCli } from "@/lib/cli";
import { shellUser } from "@/lib/config";
import { checkReplica } from "@/lib/offsite/replica/check";

runCli(async () => {
  const result = await checkReplica("cli", shellUser());
  console.log(result.detail);
  return result.ok ? 0 : 2;
});
