// npm run db:restore -- FILE|s3://bucket/key|replica:latest|replica:TIME [--dry-run [--json]] [--yes] [--merge] [--accept-loss] [--silent] [--keep-account NAME …] [--identity KEYFILE]
// Restores DATABASE_URL from a JSON backup, a .json.gz, a SQLite snapshot, or the continuous
// replica as it was at TIME (ISO 8601, e.g. 2026-12-05T09:30:00Z; UTC without a zone). Without
// --yes it shows what the file holds against the current database and asks for YES.
//   --dry-run [--json]    only the check: per model in file / now / change, who could sign in
//                         afterwards, notes, losses, problems (as JSON with --json)
//   --accept-loss         lets a file through that holds data this app cannot keep (the dry
//                         run lists it): fields this app does not have, a model the original
//                         app failed to export
//   --merge               adds the file's records that are not here yet, changing no existing row;
//                         one whose id a different record holds comes in under a new id, the
//                         file's references to it rewritten (with --dry-run: per model added /
//                         under a new id / already present, and the first few such conflicts)
//   --silent              creates no database_restored notifications for staff
//   --keep-account NAME   this account survives the restore as it is now (repeatable)
// Unlike the browser, the CLI does not refuse a restore after which no staff could sign in
// (its user has a shell and `npm run user:create`); the dry run says so in red words.
import path from "node:path";

import { humanModelName } from "@/lib/backup/format/labels";
import { entityColumn, reportLines } from "@/lib/backup/format/report-text";
import { modelChanges, restoreSummary } from "@/lib/backup/restore/dry-run-summary";
import { linkedWords, mergeAddsNothing, NOTHING_TO_MERGE, previewMerge } from "@/lib/backup/restore/merge-plan";
import { restoreBackup } from "@/lib/backup/restore/restore";
import { restoreAccessNow } from "@/lib/backup/restore/sign-in-check";
import { databaseCounts } from "@/lib/backup/row-counts";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { cliArgs, prompt, runCli } from "@/lib/cli";
import { databaseEngine, databasePath, databaseUrl, shellUser } from "@/lib/config";
import { readEngine } from "@/lib/db/engine";
import { migrateDatabase } from "@/lib/db/migrate";
import { migratePostgres } from "@/lib/db/postgres/migrate";
import { formatCount, formatDuration, plural } from "@/lib/format";
import { identityFrom, withDecrypted } from "@/lib/offsite/encryption";
import { withLocalCopy } from "@/lib/offsite/source";

const USAGE =
  "Usage: npm run db:restore -- FILE|s3://bucket/key|replica:latest|replica:TIME [--dry-run [--json]] [--yes] [--merge] [--accept-loss] [--silent] [--keep-account NAME …]";

interface Flags {
  /** The plaintext to read (a decrypted copy of an .age file). */
  file: string;
  /** The file as the operator named it. */
  shownAs: string;
  keepAccounts: string[];
  acceptLoss: boolean;
  merge: boolean;
}

/**
 * A merge's dry run, printed: per model what it adds (under its own id or, where a different
 * record holds that id here, a new one) and what is already here. A merge changes no existing
 * row, so it locks nobody out: no sign-in check.
 */
async function mergeDryRun(flags: Flags, json: boolean): Promise<DryRunOutcome> {
  const target = (await readEngine().size()).location;
  const preview = await previewMerge(flags.file);
  const { report } = preview;
  const nothingToAdd = report.ok && mergeAddsNothing(preview.models);
  const code = !report.ok || preview.refusal ? 2 : report.losses.length > 0 && !flags.acceptLoss ? 3 : 0;
  if (json) {
    const { accounts: _accounts, ...rest } = report;
    const models = preview.models.map(({ noun: _noun, ...m }) => ({ ...m, after: m.now + m.added + m.conflicts }));
    const output = { file: path.resolve(flags.shownAs), database: target, mode: "merge", restorable: code === 0 };
    console.log(
      JSON.stringify({ ...output, summary: preview.summary, refusal: preview.refusal, models, report: rest }, null, 2),
    );
    return { code, nothingToAdd };
  }
  console.log(`Dry run of a merge: ${path.resolve(flags.shownAs)} → ${target}\n`);
  console.log(reportLines(report).join("\n"));
  if (preview.models.length > 0) {
    const columns = ["in file", "now", "added", "new id", "present", "after"];
    console.log(`\n${entityColumn(null)} ${columns.map((c) => c.padStart(8)).join(" ")}`);
    for (const m of preview.models) {
      const figures = [m.inFile, m.now, m.added, m.conflicts, m.present, m.now + m.added + m.conflicts];
      console.log(`${entityColumn(m.label)} ${figures.map((n) => formatCount(n).padStart(8)).join(" ")}`);
    }
    const links = linkedWords(preview.models);
    if (links.length > 0)
      console.log(`\nLinks the file has that records already here lack, added (their own stay): ${links.join(", ")}.`);
    const examples = preview.models.flatMap((m) => m.examples);
    if (examples.length > 0) {
      console.log("\nIds taken by a different record here (they come in under a new id; references follow):");
      for (const example of examples) console.log(`  - ${example}`);
    }
  }
  if (preview.summary) console.log(`\n${preview.summary}`);
  if (preview.refusal) console.log(`\n${preview.refusal}`);
  if (code === 3)
    console.log("\nMerging this file loses the data listed above. Run again with --accept-loss to merge it anyway.");
  return { code, nothingToAdd };
}

/** What a dry run found: the exit code it implies (0 = may go ahead), and whether a merge would add nothing. */
interface DryRunOutcome {
  code: number;
  nothingToAdd: boolean;
}

/** A file whose every record is already here: the merge asked for holds already, so no failure. */
function nothingMerged(): number {
  console.log(`\n${NOTHING_TO_MERGE} Nothing was changed.`);
  return 0;
}

/** The check a restore runs first, printed; returns the exit code it implies (0 = may go ahead). */
async function dryRun(flags: Flags, json: boolean): Promise<DryRunOutcome> {
  if (flags.merge) return mergeDryRun(flags, json);
  const { file, keepAccounts, acceptLoss } = flags;
  const target = (await readEngine().size()).location;
  const current = Object.fromEntries((await databaseCounts()).map((c) => [c.label, c.rows]));
  const report = await verifyBackupFile(file);
  const access = await restoreAccessNow(report.accounts, { actor: "", keepAccounts });
  const code = !report.ok || access.refusal ? 2 : report.losses.length > 0 && !acceptLoss ? 3 : 0;
  if (json) {
    const { accounts: _accounts, ...rest } = report;
    const output = {
      file: path.resolve(flags.shownAs),
      database: target,
      restorable: code === 0,
      summary: report.ok ? restoreSummary(report, current) : null,
      models: modelChanges(report, current),
      signIn: access.check,
      refusal: access.refusal,
      report: rest,
    };
    console.log(JSON.stringify(output, null, 2));
    return { code, nothingToAdd: false };
  }
  console.log(`Dry run: ${path.resolve(flags.shownAs)} → ${target}\n`);
  console.log(reportLines(report, current).join("\n"));
  if (report.ok) console.log(`\n${restoreSummary(report, current)}`);
  const signIn = access.check;
  console.log("\nWho can sign in afterwards (passwords come with the backup):");
  for (const a of signIn.whoCanSignIn.filter((a) => a.role !== "active")) console.log(`  ${a.username} (${a.role})`);
  if (signIn.staffWhoCanSignIn === 0) console.log("  no staff member or superuser");
  const researchers = signIn.researchersWhoCanSignIn;
  if (researchers > 0) console.log(`  and ${formatCount(researchers)} ${plural(researchers, "researcher")}`);
  for (const warning of signIn.warnings) console.log(`WARNING: ${warning}`);
  if (access.refusal) console.log(`\n${access.refusal}`);
  if (code === 3)
    console.log(
      "\nRestoring this file loses the data listed above. Run again with --accept-loss to restore it anyway.",
    );
  return { code, nothingToAdd: false };
}

type Values = ReturnType<typeof parsed>["values"];
const parsed = () =>
  cliArgs(
    {
      "dry-run": { type: "boolean" },
      json: { type: "boolean" },
      yes: { type: "boolean" },
      "accept-loss": { type: "boolean" },
      silent: { type: "boolean" },
      merge: { type: "boolean" },
      "keep-account": { type: "string", multiple: true },
      identity: { type: "string" },
    },
    true,
  );

runCli(async () => {
  const { values, positionals } = parsed();
  const named = positionals[0];
  if (!named || positionals.length > 1) throw new Error(USAGE);
  if (values.json && !values["dry-run"]) throw new Error(`--json goes with --dry-run. ${USAGE}`);
  // An s3:// source is downloaded first; an age-encrypted backup is opened with --identity
  // KEYFILE or BACKUP_AGE_IDENTITY.
  const identity = identityFrom(values.identity);
  return withLocalCopy(named, (local) => withDecrypted(local, identity, (file) => main(file, named, values)));
});

async function main(file: string, named: string, values: Values): Promise<number> {
  const flags: Flags = {
    file,
    shownAs: named,
    keepAccounts: values["keep-account"] ?? [],
    acceptLoss: values["accept-loss"] ?? false,
    merge: values.merge ?? false,
  };
  if (databaseEngine() === "postgresql") await migratePostgres(databaseUrl());
  else migrateDatabase(databasePath());

  if (values["dry-run"] || !values.yes) {
    const { code, nothingToAdd } = await dryRun(flags, values.json ?? false);
    if (code !== 0 || values["dry-run"]) return code;
    if (nothingToAdd) return nothingMerged();
    const question = values.merge
      ? "\nThis adds the records listed above to the database above; nothing that exists changes. Type YES to merge: "
      : "\nThis replaces ALL current data in the database above. Type YES to restore: ";
    const answer = await prompt(question);
    if (answer.trim() !== "YES") {
      console.log("Cancelled; nothing was changed.");
      return 1;
    }
  }

  // Told to go ahead without a dry run: a file already merged is found here too, so nothing is
  // locked, snapshotted or recorded as a failed restore for it.
  if (values.yes && !values["dry-run"] && flags.merge && mergeAddsNothing((await previewMerge(file)).models)) {
    return nothingMerged();
  }
  let lastPhase = "";
  const result = await restoreBackup({
    file,
    actor: shellUser(),
    source: "cli",
    label: path.basename(named),
    acceptLoss: flags.acceptLoss,
    keepAccounts: flags.keepAccounts,
    silent: values.silent ?? false,
    merge: values.merge ?? false,
    // Found above; should records go missing meanwhile, no safety snapshot and notices for nothing.
    refuseEmptyMerge: true,
    onProgress: (phase, fraction) => {
      if (phase !== lastPhase || fraction === 1) process.stderr.write(`\n${phase} `);
      else process.stderr.write(".");
      lastPhase = phase;
    },
  });
  process.stderr.write("\n");
  if (!result.ok) {
    console.error(result.error);
    if (result.report) console.error(reportLines(result.report).join("\n"));
    return 2;
  }
  const columns = values.merge
    ? ["before", "in backup", "added", "new id", "present", "after"]
    : ["before", "in backup", "after"];
  console.log(`\n${entityColumn(null)} ${columns.map((c) => c.padStart(10)).join(" ")}`);
  for (const m of result.models) {
    const figures = values.merge
      ? [m.before, m.inBackup, m.added ?? 0, m.conflicts ?? 0, m.present ?? 0, m.after]
      : [m.before, m.inBackup, m.after];
    console.log(`${entityColumn(m.label)} ${figures.map((n) => formatCount(n).padStart(10)).join(" ")}`);
  }
  for (const m of result.models.filter((m) => (m.linked ?? 0) > 0))
    console.log(
      `${humanModelName(m.label)}: ${formatCount(m.linked!)} of the file's links added to records already here.`,
    );
  console.log(
    `\nRestored in ${formatDuration(result.durationMs)}. Safety snapshot of the previous data: ${result.safetySnapshot}.`,
  );
  for (const kept of result.kept) console.log(kept);
  for (const pruned of result.pruned) console.log(`Removed an older safety snapshot: ${pruned}.`);
  if (result.notified > 0)
    console.log(`Besides the rows above, ${result.notified} database_restored notice(s) went to staff.`);
  for (const warning of result.signIn.warnings) console.log(`WARNING: ${warning}`);
  for (const warning of result.report.warnings) console.log(`Warning: ${warning}`);
  return 0;
}
