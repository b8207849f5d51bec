"use client";

import { useId } from "react";

import type { ChoicesProps } from "@/components/storage/restore/RestoreChoices";
import { LabelledField, OptionField } from "@/components/ui/Field";
import type { DryRun } from "@/lib/admin/upload";

/** The backup's accounts that could open this console afterwards: the ones one may sign in as. */
export function staffToSignInAs(dryRun: DryRun): string[] {
  return dryRun.signIn.whoCanSignIn.filter((a) => a.role !== "active" && !a.kept).map((a) => a.username);
}

/** The id of the password field, for moving focus to it when the password is wrong. */
export const SIGN_IN_AS_PASSWORD_ID = "sign-in-as-password";

/**
 * The two honest ways through a restore that would sign the admin out: keep their account as
 * it is now, or sign in afterwards as one of the backup's staff (its password is checked
 * against the backup before anything changes, and again by the restore itself).
 */
export function SignInWay({ dryRun, choices, onChange }: ChoicesProps) {
  const name = useId();
  const actor = dryRun.signIn.actor!;
  const staff = staffToSignInAs(dryRun);
  const signInAs = choices.signInAs;
  return (
    <fieldset className="space-y-2 rounded border border-slate-200 p-3" data-testid="sign-in-way">
      <legend className="px-1 text-sm font-medium">How will you sign in afterwards?</legend>
      <OptionField
        type="radio"
        name={name}
        checked={choices.keepMyAccount && !signInAs}
        onChange={() => onChange({ ...choices, keepMyAccount: true, signInAs: null })}
      >
        Keep my account (<strong>{actor.username}</strong>) as it is now, with its profile and preferences. It takes an
        id the backup does not use; the backup&apos;s records keep theirs.
      </OptionField>
      <OptionField
        type="radio"
        name={name}
        checked={signInAs !== null}
        onChange={() =>
          onChange({ ...choices, keepMyAccount: false, signInAs: { username: staff[0] ?? "", password: "" } })
        }
      >
        I will sign in as one of the backup&apos;s staff accounts. Your account here is not kept; you sign in again
        after the restore.
      </OptionField>
      {signInAs ? (
        <div className="flex flex-wrap gap-3 pl-6">
          <LabelledField label="Account in the backup">
            {({ id }) => (
              <select
                id={id}
                value={signInAs.username}
                onChange={(e) => onChange({ ...choices, signInAs: { ...signInAs, username: e.target.value } })}
                className="mt-1 rounded border border-slate-300 px-2 py-1.5 text-sm"
              >
                {staff.map((username) => (
                  <option key={username} value={username}>
                    {username}
                  </option>
                ))}
              </select>
            )}
          </LabelledField>
          <LabelledField label="Its password" id={SIGN_IN_AS_PASSWORD_ID}>
            {({ id }) => (
              <input
                id={id}
                type="password"
                autoComplete="off"
                value={signInAs.password}
                onChange={(e) => onChange({ ...choices, signInAs: { ...signInAs, password: e.target.value } })}
                className="mt-1 rounded border border-slate-300 px-2 py-1.5 text-sm"
              />
            )}
          </LabelledField>
          <p className="basis-full text-xs text-slate-600">
            The password is checked against the backup before anything changes.
          </p>
        </div>
      ) : null}
    </fieldset>
  );
}
