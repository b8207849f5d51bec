"use client";

import { SignInWay, staffToSignInAs } from "@/components/storage/restore/SignInWay";
import { OptionField } from "@/components/ui/Field";
import type { DryRun } from "@/lib/admin/upload";
import { fieldInWords, humanModelName } from "@/lib/backup/format/labels";

/** What the option components get: the dry run, the options as chosen, and how to change them. */
export interface ChoicesProps {
  dryRun: DryRun;
  choices: Choices;
  onChange: (c: Choices) => void;
}

export interface Choices {
  acceptLoss: boolean;
  keepMyAccount: boolean;
  silent: boolean;
  merge: boolean;
  /** "I will sign in as one of these": the backup's staff account and its password (checked on the server). */
  signInAs: { username: string; password: string } | null;
}

/** A restore that would sign the admin out: they choose how they will sign in afterwards. */
export function needsSignInWay(dryRun: DryRun): boolean {
  const actor = dryRun.signIn.actor;
  return actor !== null && (actor.status !== "same" || dryRun.signIn.staffWhoCanSignIn === 0);
}

/** What the options start as for a fresh dry run: keep my account when the backup would change it. */
export function initialChoices(dryRun: DryRun): Choices {
  const actor = dryRun.signIn.actor;
  return {
    acceptLoss: false,
    keepMyAccount: actor !== null && actor.status !== "same",
    silent: false,
    merge: false,
    signInAs: null,
  };
}

/** Why the restore cannot start with these choices, as a sentence; null when it can. */
export function blockedReason(dryRun: DryRun, choices: Choices): string | null {
  if (!dryRun.uploadId) return "This file cannot be restored.";
  if (dryRun.report.losses.length > 0 && !choices.acceptLoss) return "Accept the loss of the data listed above first.";
  return signInBlockedReason(dryRun, choices);
}

/** Why these choices would lock someone out, as a sentence; null when nobody is. */
function signInBlockedReason(dryRun: DryRun, choices: Choices): string | null {
  // A merge changes no existing row, so it cannot lock anyone out.
  if (choices.merge) return null;
  const actorChanges = dryRun.signIn.actor !== null && dryRun.signIn.actor.status !== "same";
  if (choices.signInAs) {
    const { username, password } = choices.signInAs;
    if (!username) return "Choose the account you will sign in as, and type its password.";
    if (!password) return `Type ${username}'s password, as it is in this backup.`;
    return null;
  }
  if (actorChanges && !choices.keepMyAccount) return "Keep your account, or the restore would lock you out.";
  if (dryRun.signIn.staffWhoCanSignIn === 0 && !choices.keepMyAccount) {
    return "Keep your account: no staff account in this backup could sign in.";
  }
  return null;
}

/**
 * How the options chosen avoid the lockout the dry run warns of, as a sentence; null when they
 * do not (or there is none). The dry run's warning then says what was chosen instead of alarming.
 */
export function lockoutAvoided(dryRun: DryRun, choices: Choices): string | null {
  const actor = dryRun.signIn.actor;
  if (!actor || choices.merge || dryRun.signIn.warnings.length === 0 || signInBlockedReason(dryRun, choices) !== null) {
    return null;
  }
  if (choices.signInAs) {
    return `You will sign in as ${choices.signInAs.username} afterwards (its password is checked before anything changes).`;
  }
  return choices.keepMyAccount ? `Your account (${actor.username}) is kept as it is now, so you stay signed in.` : null;
}

export function RestoreChoices({ dryRun, choices, onChange }: ChoicesProps) {
  const losses = dryRun.report.losses;
  const actor = dryRun.signIn.actor;
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Options</legend>
      <OptionField checked={choices.merge} onChange={(merge) => onChange({ ...choices, merge })}>
        Merge: add the backup&apos;s records that are not here yet, and change nothing that exists
      </OptionField>
      {actor && !choices.merge && needsSignInWay(dryRun) && staffToSignInAs(dryRun).length > 0 ? (
        <SignInWay dryRun={dryRun} choices={choices} onChange={onChange} />
      ) : actor && !choices.merge ? (
        <OptionField
          checked={choices.keepMyAccount}
          onChange={(keepMyAccount) => onChange({ ...choices, keepMyAccount })}
        >
          Keep my account (<strong>{actor.username}</strong>) as it is now, with its profile and preferences
        </OptionField>
      ) : null}
      <OptionField checked={choices.silent} onChange={(silent) => onChange({ ...choices, silent })}>
        Silent restore: do not notify staff that the database was restored
      </OptionField>
      {losses.length > 0 ? (
        <OptionField checked={choices.acceptLoss} onChange={(acceptLoss) => onChange({ ...choices, acceptLoss })}>
          Restore anyway and lose{" "}
          {losses
            .map((l) => (l.field ? fieldInWords(l.label, l.field) : `all ${humanModelName(l.label).toLowerCase()}`))
            .join("; ")}
        </OptionField>
      ) : null}
    </fieldset>
  );
}
