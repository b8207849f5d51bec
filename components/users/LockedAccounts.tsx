"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

import { liftSignInLockAction } from "@/app/admin/users/actions";
import type { LockedAccount } from "@/lib/admin/users";
import { plural, waitInWords } from "@/lib/format";

type Viewer = { id: number; isSuperuser: boolean };
type Message = { tone: "ok" | "error"; text: string } | null;

/**
 * The accounts locked out of sign-in now (after repeated wrong passwords), above the list so a
 * lock on any page is seen, each with a button that lets the person sign in again at once. Its
 * message stays after the page reloads without the account it was about.
 */
export function LockedAccounts({ accounts, viewer }: { accounts: LockedAccount[]; viewer: Viewer }) {
  const router = useRouter();
  const [busy, setBusy] = useState<number | null>(null);
  const [message, setMessage] = useState<Message>(null);

  async function lift(account: LockedAccount) {
    setBusy(account.id);
    setMessage(null);
    const result = await liftSignInLockAction({ userId: account.id }).catch((error: Error) => ({
      ok: false as const,
      error: `The lock could not be lifted: ${error.message}`,
    }));
    setBusy(null);
    setMessage(result.ok ? { tone: "ok", text: result.summary } : { tone: "error", text: result.error });
    if (result.ok) router.refresh();
  }

  const status = (
    <div role="status" aria-live="polite">
      {message ? (
        <p
          className={`rounded p-2 text-sm ${message.tone === "ok" ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-900"}`}
          data-testid="locked-accounts-message"
        >
          {message.text}
        </p>
      ) : null}
    </div>
  );

  if (accounts.length === 0)
    return (
      <div className="mb-3 space-y-2" data-testid="locked-accounts">
        {status}
        <p className="text-sm text-slate-600">Nobody is locked out of sign-in right now.</p>
      </div>
    );

  return (
    <section
      aria-labelledby="locked-accounts-heading"
      className="mb-4 space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4"
      data-testid="locked-accounts"
    >
      <h2 id="locked-accounts-heading" className="text-lg font-semibold">
        Locked out of sign-in
      </h2>
      <p className="text-sm text-slate-700">
        After repeated wrong passwords an account is locked for a while, longer each time. If the person tells you it
        was them, let them sign in now; if not, someone may be guessing their password: leave the lock.
      </p>
      <ul className="space-y-2">
        {accounts.map((account) => (
          <li
            key={account.id}
            className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded border border-amber-200 bg-white p-2 text-sm"
            data-testid="locked-account"
          >
            <span className="min-w-0 [overflow-wrap:anywhere]">
              <strong>{account.username}</strong> is locked for {waitInWords(account.seconds)} more, after{" "}
              {account.failures} failed {plural(account.failures, "sign-in")}.
            </span>
            <LiftControl account={account} viewer={viewer} busy={busy} onLift={lift} />
          </li>
        ))}
      </ul>
      {status}
    </section>
  );
}

/** The button, or why this viewer has none (the server refuses the same). */
function LiftControl({
  account,
  viewer,
  busy,
  onLift,
}: {
  account: LockedAccount;
  viewer: Viewer;
  busy: number | null;
  onLift: (account: LockedAccount) => void;
}) {
  if (account.id === viewer.id)
    return <span className="text-slate-600">This is you: another staff member can lift it.</span>;
  if ((account.isStaff || account.isSuperuser) && !viewer.isSuperuser)
    return <span className="text-slate-600">A staff account: only a superuser can lift its lock.</span>;
  return (
    <button
      type="button"
      disabled={busy !== null}
      onClick={() => onLift(account)}
      className="rounded bg-sky-700 px-3 py-1 font-medium text-white hover:bg-sky-800 disabled:opacity-50"
    >
      {busy === account.id ? "Lifting the lock…" : `Let ${account.username} sign in now`}
    </button>
  );
}
