import { WhoCanSignIn } from "@/components/storage/restore/WhoCanSignIn";
import { Age } from "@/components/ui/Age";
import { EntityName } from "@/components/ui/EntityName";
import { FiguresHead } from "@/components/ui/Table";
import type { DryRun } from "@/lib/admin/upload";
import type { BackupReport } from "@/lib/backup/verify/verify";
import { formatBytes, formatCount, formatDateTime, plural } from "@/lib/format";

const DIGEST_TEXT: Record<BackupReport["digest"], { text: string; tone: string }> = {
  verified: { text: "verified: every record is as exported", tone: "text-emerald-800" },
  absent: { text: "none in this file, so changes after export cannot be ruled out", tone: "text-amber-800" },
  mismatch: { text: "does not match: records were changed after export", tone: "text-red-800" },
  "not-applicable": { text: "not needed for a SQLite snapshot", tone: "text-slate-700" },
};

/** Which time "made" is: a SQLite file's comes from its content, never from its file time. */
const MADE_LABEL: Record<NonNullable<BackupReport["madeFrom"]>, string> = {
  export: "Made",
  "snapshot-taken": "Snapshot taken",
  "newest-change": "Newest change in this file",
  "schema-migration": "Tables set up (no changes recorded)",
};

function Facts({ report, encrypted }: { report: BackupReport; encrypted: boolean }) {
  const digest = DIGEST_TEXT[report.digest];
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="text-slate-500">{MADE_LABEL[report.madeFrom ?? "export"]}</dt>
      <dd data-testid="dry-run-age">
        {formatDateTime(report.exportDate)}
        {report.exportDate ? (
          <span className="text-slate-600">
            {" "}
            (<Age of={report.exportDate} />)
          </span>
        ) : null}
      </dd>
      <dt className="text-slate-500">Made by</dt>
      <dd>{report.formatVersion === 0 ? "the original Django app" : (report.app ?? "–")}</dd>
      <dt className="text-slate-500">Digest</dt>
      <dd className={digest.tone}>{digest.text}</dd>
      {encrypted ? (
        <>
          <dt className="text-slate-500">Encrypted</dt>
          <dd data-testid="dry-run-encrypted">opened with your key file, which was not kept</dd>
        </>
      ) : null}
    </dl>
  );
}

function ChangeCell({ change }: { change: number }) {
  if (change === 0) return <span className="text-slate-500">same count</span>;
  const text = `${change > 0 ? "+" : "−"}${formatCount(Math.abs(change))}`;
  return <span className={change < 0 ? "font-semibold text-red-700" : "text-emerald-700"}>{text}</span>;
}

function ChangesTable({ dryRun }: { dryRun: DryRun }) {
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">Rows in the file compared with the database now</caption>
      <FiguresHead columns={["Records", "In file", "Now", "Count change"]} />
      <tbody className="divide-y divide-slate-100">
        {dryRun.changes.map((m) => (
          <tr key={m.label} data-testid="dry-run-row">
            <th scope="row" className="py-1 text-left font-normal">
              <EntityName label={m.label} showLabel />
            </th>
            <td className="whitespace-nowrap py-1 pl-2 text-right tabular-nums">{formatCount(m.inFile)}</td>
            <td className="whitespace-nowrap py-1 pl-2 text-right tabular-nums text-slate-600">{formatCount(m.now)}</td>
            <td className="whitespace-nowrap py-1 pl-2 text-right tabular-nums">
              <ChangeCell change={m.change} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What a restore offers through a lockout (the options below the report); a roll back offers none. */
function wayThrough(kind: RestoreKind, staffInFile: boolean): string {
  if (kind === "rollback")
    return staffInFile
      ? "A roll back keeps no account as it is now: afterwards, sign in as one of the snapshot's staff accounts listed below, with the password it had then, or roll back to another snapshot."
      : "Nobody could open this console afterwards: roll back to another snapshot instead.";
  return staffInFile
    ? "Below, keep your account, or choose one of the backup's staff accounts to sign in as afterwards."
    : "Keep your account (below) to restore it and stay signed in.";
}

/**
 * Who can sign in after the restore, by name; first, when the admin or all staff would be locked
 * out, a red warning, or a plain note of how the options chosen below avoid it (`avoided`).
 */
function SignInNotice({ dryRun, kind, avoided }: { dryRun: DryRun; kind: RestoreKind; avoided?: string | null }) {
  const { signIn } = dryRun;
  const source = kind === "rollback" ? "snapshot" : "backup";
  if (signIn.warnings.length === 0) {
    return (
      <div className="space-y-2" data-testid="dry-run-sign-in">
        {signIn.actor ? <p className="text-sm text-slate-700">Your account is the same in this {source}.</p> : null}
        <WhoCanSignIn signIn={signIn} source={source} />
      </div>
    );
  }
  const staffInFile = signIn.whoCanSignIn.some((a) => a.role !== "active");
  if (avoided) {
    return (
      <div className="space-y-2" data-testid="dry-run-sign-in">
        <div
          className="rounded border border-slate-300 bg-slate-50 p-3 text-sm text-slate-800"
          data-testid="lockout-avoided"
        >
          <p className="font-semibold">Restoring this backup as it is would lock people out:</p>
          <ul className="mt-1 list-disc pl-5">
            {signIn.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
          <p className="mt-1">With the options below, it will not: {avoided}</p>
        </div>
        <WhoCanSignIn signIn={signIn} source={source} />
      </div>
    );
  }
  return (
    <div className="space-y-2" data-testid="dry-run-sign-in">
      <div role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
        <p className="font-semibold">
          {kind === "rollback" ? "Rolling back to this snapshot" : "Restoring this backup as it is"} would lock people
          out.
        </p>
        <ul className="mt-1 list-disc pl-5">
          {signIn.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
        <p className="mt-1">{wayThrough(kind, staffInFile)}</p>
      </div>
      <WhoCanSignIn signIn={signIn} source={source} />
    </div>
  );
}

function Refusal({ problems }: { problems: string[] }) {
  const [first, ...rest] = problems;
  return (
    <div role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900">
      <p className="font-semibold">This file cannot be restored. Nothing was changed.</p>
      <p className="mt-1 [overflow-wrap:anywhere]">{first}</p>
      {rest.length > 0 ? (
        <details className="mt-1">
          <summary className="cursor-pointer">
            {formatCount(rest.length)} more {plural(rest.length, "problem")}
          </summary>
          <ul className="mt-1 list-disc pl-5 [overflow-wrap:anywhere]">
            {rest.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function Losses({ report }: { report: BackupReport }) {
  return (
    <div
      role="alert"
      className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950"
      data-testid="dry-run-losses"
    >
      <p className="font-semibold">The file is whole, but this app cannot keep everything in it:</p>
      <ul className="mt-1 list-disc pl-5 [overflow-wrap:anywhere]">
        {report.losses.map((l, i) => (
          <li key={i}>{l.text}</li>
        ))}
      </ul>
      <p className="mt-1">It can only be restored if you accept losing this data.</p>
    </div>
  );
}

function Notes({ report }: { report: BackupReport }) {
  if (report.notes.length === 0) return null;
  return (
    <details className="rounded border border-slate-200 p-3 text-sm" data-testid="dry-run-notes">
      <summary className="cursor-pointer">
        {formatCount(report.notes.length)} {plural(report.notes.length, "note")}: values loaded the way the original app
        loads them
      </summary>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-slate-700 [overflow-wrap:anywhere]">
        {report.notes.map((n, i) => (
          <li key={i}>{n.text}</li>
        ))}
      </ul>
    </details>
  );
}

type RestoreKind = "restore" | "rollback";

/**
 * `merge`: what a merge would do, shown instead of the replace's figures and sign-in check.
 * `kind`: a roll back's preview speaks of the snapshot, and offers no way to keep an account.
 * `lockoutAvoided`: how the options chosen avoid the lockout it warns of (RestoreChoices).
 */
export function DryRunReport({
  dryRun,
  merge,
  kind = "restore",
  lockoutAvoided,
}: {
  dryRun: DryRun;
  merge?: React.ReactNode;
  kind?: RestoreKind;
  lockoutAvoided?: string | null;
}) {
  const { report } = dryRun;
  return (
    <section aria-labelledby="dry-run-heading" className="space-y-3" data-testid="dry-run-report">
      <h3 id="dry-run-heading" tabIndex={-1} className="font-semibold [overflow-wrap:anywhere]">
        Dry run: {dryRun.fileName} <span className="font-normal text-slate-500">({formatBytes(dryRun.bytes)})</span>
      </h3>
      {report.problems.length > 0 ? (
        <Refusal problems={report.problems} />
      ) : (
        <>
          <Facts report={report} encrypted={dryRun.encrypted} />
          {merge ?? (
            <>
              <p className="text-sm font-medium" data-testid="dry-run-summary">
                {dryRun.summary}
              </p>
              <ChangesTable dryRun={dryRun} />
              <SignInNotice dryRun={dryRun} kind={kind} avoided={lockoutAvoided} />
            </>
          )}
          {report.losses.length > 0 ? (
            <Losses report={report} />
          ) : (
            <p className="rounded bg-emerald-50 p-3 text-sm text-emerald-900">The file is whole and restorable.</p>
          )}
          {report.warnings.length > 0 ? (
            <ul className="list-disc pl-5 text-sm text-amber-900">
              {report.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          ) : null}
          <Notes report={report} />
        </>
      )}
    </section>
  );
}
