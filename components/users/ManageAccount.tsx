"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";

import { deleteAccountAction, resetAccountPasswordAction, setAccountFlagsAction } from "@/app/admin/users/actions";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";

export interface ManagedAccount {
  id: number;
  username: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  /** What deleting it deletes too, in words ("" when nothing). */
  owned: string;
}

type Message = { tone: "ok" | "error"; text: string; password?: string } | null;

const FLAGS = [
  ["isActive", "Can sign in (active)"],
  ["isStaff", "Staff: opens this console"],
  ["isSuperuser", "Superuser: every right"],
] as const;

/**
 * Staff controls for one account, folded away in its row: the sign-in and rights flags, a new
 * password (typed, or made and shown once), and delete behind a typed confirmation.
 */
export function ManageAccount({
  account,
  isSelf,
  viewerIsSuperuser,
  className = "",
}: {
  account: ManagedAccount;
  isSelf: boolean;
  /** Only a superuser changes rights or manages a staff account (the server refuses the rest). */
  viewerIsSuperuser: boolean;
  /** Its width where it sits, e.g. a fixed one when open in a table's cell. */
  className?: string;
}) {
  const router = useRouter();
  const isStaffAccount = account.isStaff || account.isSuperuser;
  const mayManage = viewerIsSuperuser || !isStaffAccount;
  const mayChange = (flag: (typeof FLAGS)[number][0]) =>
    flag === "isActive" ? mayManage && !isSelf : viewerIsSuperuser;
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const passwordId = useId();
  const messageId = useId();

  async function run(action: () => Promise<{ ok: boolean; error?: string }>, ok: (r: never) => Message) {
    setBusy(true);
    setMessage(null);
    try {
      const result = await action();
      setMessage(result.ok ? ok(result as never) : { tone: "error", text: result.error ?? "Refused." });
      if (result.ok) router.refresh();
    } catch (error) {
      setMessage({ tone: "error", text: `The change failed: ${(error as Error).message}` });
    } finally {
      setBusy(false);
    }
  }

  const setFlag = (flag: (typeof FLAGS)[number][0], value: boolean) =>
    run(
      () => setAccountFlagsAction({ userId: account.id, [flag]: value }),
      (r: { summary: string }) => ({ tone: "ok", text: r.summary }),
    );

  async function onReset(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const typed = String(new FormData(event.currentTarget).get("password") ?? "");
    await run(
      () => resetAccountPasswordAction({ userId: account.id, ...(typed ? { password: typed } : {}) }),
      (r: { username: string; shownOnce: string | null }) =>
        r.shownOnce
          ? {
              tone: "ok",
              text: `New password for ${r.username} (shown only this once; pass it on now):`,
              password: r.shownOnce,
            }
          : { tone: "ok", text: `The password of ${r.username} is now the one you typed.` },
    );
  }

  return (
    <details className={`text-sm ${className}`} data-testid="manage-account">
      <summary className="cursor-pointer whitespace-nowrap text-sky-800 underline">Manage</summary>
      <div className="mt-2 space-y-3">
        <fieldset className="space-y-1">
          <legend className="font-medium">Rights of {account.username}</legend>
          {FLAGS.map(([flag, label]) => (
            <label key={flag} className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={account[flag]}
                disabled={busy || !mayChange(flag)}
                onChange={(e) => setFlag(flag, e.target.checked)}
              />
              {label}
            </label>
          ))}
          {viewerIsSuperuser ? null : <p className="text-slate-600">Only a superuser gives or takes staff rights.</p>}
        </fieldset>
        {isSelf ? (
          <p className="text-slate-600">This is you: another staff member changes your password or deletes you.</p>
        ) : !mayManage ? (
          <p className="text-slate-600">
            {account.username} is a staff account: only a superuser resets its password or deletes it.
          </p>
        ) : (
          <>
            <form onSubmit={onReset} className="space-y-1">
              <label htmlFor={passwordId} className="block font-medium">
                New password <span className="font-normal text-slate-600">(leave empty to make one)</span>
              </label>
              <div className="flex flex-wrap gap-2">
                <input
                  id={passwordId}
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  minLength={8}
                  className="w-40 rounded border border-slate-300 px-2 py-1"
                />
                <button
                  type="submit"
                  disabled={busy}
                  className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-100"
                >
                  Reset password
                </button>
              </div>
            </form>
            <button
              type="button"
              disabled={busy}
              onClick={() => setConfirmingDelete(true)}
              className="rounded bg-red-700 px-3 py-1 font-medium text-white hover:bg-red-800 disabled:opacity-50"
            >
              Delete account…
            </button>
          </>
        )}
        <div id={messageId} role="status" aria-live="polite">
          {message ? (
            <div
              className={
                message.tone === "ok"
                  ? "rounded bg-emerald-50 p-2 text-emerald-900"
                  : "rounded bg-red-50 p-2 text-red-900"
              }
              data-testid="manage-account-message"
            >
              <p>{message.text}</p>
              {message.password ? (
                <output className="mt-1 block select-all font-mono text-base" data-testid="new-password">
                  {message.password}
                </output>
              ) : null}
            </div>
          ) : null}
        </div>
      </div>
      <ConfirmDialog
        open={confirmingDelete}
        title={`Delete ${account.username}?`}
        confirmWord="DELETE"
        confirmLabel="Delete account"
        onCancel={() => setConfirmingDelete(false)}
        onConfirm={async (typed) => {
          setConfirmingDelete(false);
          setBusy(true);
          const result = await deleteAccountAction({ userId: account.id, confirmation: typed }).catch(
            (error: Error) => ({ ok: false as const, error: `The change failed: ${error.message}` }),
          );
          setBusy(false);
          // The row goes with the account: the page says what happened instead.
          if (result.ok) router.push(`/admin/users?${new URLSearchParams({ deleted: account.username })}`);
          else setMessage({ tone: "error", text: result.error });
        }}
      >
        <p>
          The account <strong>{account.username}</strong> is removed for good
          {account.owned ? (
            <>
              , with <strong>{account.owned}</strong> that belong to it
            </>
          ) : null}
          . Presets, machines and notices that only name it keep their other data.
        </p>
        <p>
          A safety snapshot of the whole database is taken first: Manage Storage can roll back to it if this was a
          mistake.
        </p>
        <p>To stop someone signing in but keep their history, untick “Can sign in (active)” instead.</p>
      </ConfirmDialog>
    </details>
  );
}
