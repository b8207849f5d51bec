// npm run db:move -- --to postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE [--from FILE] [--replace]
// Moves the lab from its SQLite file (DATABASE_URL's, or --from FILE) to a PostgreSQL
// database: migrates it, exports the SQLite data, restores it there and compares the two
// record for record (lib/move/move-to-postgres.ts). The SQLite file is only read.
//   --replace   the PostgreSQL database may hold records already: they are replaced
// Exit code 0: moved, identical. 2: moved, but the comparison found a difference (said how).
// 1: refused or failed, with the reason.
import { humanModelName } from "@/lib/backup/format/labels";
import { cliArgs, runCli } from "@/lib/cli";
import { databaseEngine, databasePath, databaseUrl, dataDir, shellUser } from "@/lib/config";
import { describePostgresUrl } from "@/lib/db/postgres/connection";
import { formatCount, formatDuration } from "@/lib/format";
import { moveToPostgres, type MoveResult } from "@/lib/move/move-to-postgres";

const USAGE = "Usage: npm run db:move -- --to postgresql://USER@HOST:PORT/DATABASE [--from SQLITE_FILE] [--replace]";

function printComparison(result: MoveResult): void {
  console.log(`\n${"Records".padEnd(28)} ${"SQLite".padStart(10)} ${"PostgreSQL".padStart(10)}`);
  for (const m of result.models) {
    const mark = m.sqlite === m.postgresql ? "" : "  <- differs";
    console.log(
      `${humanModelName(m.label).padEnd(28)} ${formatCount(m.sqlite).padStart(10)} ${formatCount(m.postgresql).padStart(10)}${mark}`,
    );
  }
  console.log(`\nRecords digest (SHA-256) of the SQLite data moved: ${result.digests.moved}`);
  console.log(`Records digest (SHA-256) of PostgreSQL now:        ${result.digests.postgresql}`);
}

runCli(async () => {
  const { values, positionals } = cliArgs(
    { to: { type: "string" }, from: { type: "string" }, replace: { type: "boolean" } },
    true,
  );
  if (!values.to || positionals.length > 0) throw new Error(USAGE);
  const named = values.from ?? databaseUrl();
  const to = values.to;
  const result = await moveToPostgres({
    // A file: URL or a path; a postgresql:// one is refused by the move, in words.
    from: databaseEngine(named) === "sqlite" ? databasePath(named) : named,
    to,
    folder: dataDir(),
    replace: values.replace ?? false,
    actor: shellUser(),
    say: (line) => console.log(line),
  });
  printComparison(result);
  if (!result.identical) {
    console.error(`\nMOVED, BUT NOT IDENTICAL: ${result.problem}`);
    console.error(`The lab still runs on its SQLite file; keep DATABASE_URL as it is. The file moved: ${result.file}`);
    return 2;
  }
  console.log(
    `\nMoved ${formatCount(result.records)} records to ${describePostgresUrl(to)} in ${formatDuration(result.durationMs)}: ` +
      "PostgreSQL holds the same records as the SQLite file, record for record.",
  );
  console.log("Next:");
  console.log(
    `  - stop the app, set DATABASE_URL to the PostgreSQL URL (${describePostgresUrl(to)}) and start it again;`,
  );
  console.log(
    "  - BACKUP_REPLICA_URL (Litestream) does not apply to PostgreSQL: rely on your provider's point-in-time",
  );
  console.log("    recovery and the exports (docs/operations.md);");
  console.log(`  - keep the SQLite file and the backup of the moment (${result.file}) until you have checked the lab.`);
});
