"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { addAccountAction } from "@/app/admin/users/actions";
import { LabelledField, OptionField } from "@/components/ui/Field";

type Outcome = { ok: true; username: string; password: string } | { ok: false; error: string } | null;

const inputClass = "mt-1 w-56 max-w-full rounded border border-slate-300 px-2 py-1.5 text-sm";

/**
 * Adds a colleague's account, folded away above the list: a username, an email if wanted, staff
 * for a superuser to give; the password is made on the server and shown here once.
 */
export function AddAccount({ viewerIsSuperuser }: { viewerIsSuperuser: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [staff, setStaff] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    setBusy(true);
    setOutcome(null);
    try {
      const result = await addAccountAction({
        username: String(data.get("username") ?? ""),
        email: String(data.get("email") ?? ""),
        staff,
      });
      if (result.ok) {
        setOutcome({ ok: true, username: result.username, password: result.shownOnce });
        form.reset();
        setStaff(false);
        router.refresh();
      } else setOutcome({ ok: false, error: result.error });
    } catch (error) {
      setOutcome({ ok: false, error: `The account could not be added: ${(error as Error).message}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="mb-4 rounded-lg border border-slate-200 bg-white p-3 text-sm" data-testid="add-account">
      <summary className="cursor-pointer font-medium text-sky-800 underline">Add an account</summary>
      <form onSubmit={onSubmit} className="mt-3 flex flex-wrap items-end gap-3">
        <LabelledField label="Username">
          {({ id }) => (
            <input id={id} name="username" required maxLength={150} autoComplete="off" className={inputClass} />
          )}
        </LabelledField>
        <LabelledField label="Email (optional)">
          {({ id }) => <input id={id} name="email" type="email" autoComplete="off" className={inputClass} />}
        </LabelledField>
        {viewerIsSuperuser ? (
          <OptionField checked={staff} onChange={setStaff}>
            Staff: opens this console
          </OptionField>
        ) : null}
        <button
          type="submit"
          disabled={busy}
          className="rounded bg-sky-700 px-4 py-1.5 font-medium text-white hover:bg-sky-800 disabled:opacity-60"
        >
          {busy ? "Adding…" : "Add account"}
        </button>
      </form>
      <div role="status" aria-live="polite" className="mt-2">
        {outcome?.ok ? (
          <div className="rounded bg-emerald-50 p-2 text-emerald-900" data-testid="add-account-message">
            <p>
              Added {outcome.username}. Their password (shown only this once; pass it on now, they can have it reset
              later):
            </p>
            <output className="mt-1 block font-mono text-base select-all" data-testid="new-account-password">
              {outcome.password}
            </output>
          </div>
        ) : outcome ? (
          <p className="rounded bg-red-50 p-2 text-red-900" data-testid="add-account-message">
            {outcome.error}
          </p>
        ) : null}
      </div>
    </details>
  );
}
