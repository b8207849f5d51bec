"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { liftAddressLockAction } from "@/app/admin/storage/actions";
import type { HeldLock } from "@/lib/auth/throttle";
import { plural, waitInWords } from "@/lib/format";

type Message = { tone: "ok" | "error"; text: string } | null;

/**
 * The usernames and client addresses locked out of sign-in now, each with its time left. An
 * address's lock is lifted here (a lab behind one address, locked by a few mistyped passwords);
 * a username's on the Users page, where staff see whose account it is. The message stays after
 * the page reloads without the lock it was about.
 */
export function SignInLocksNow({ locks }: { locks: HeldLock[] }) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<Message>(null);

  async function lift(address: string) {
    setBusy(address);
    setMessage(null);
    const result = await liftAddressLockAction({ address }).catch((error: Error) => ({
      ok: false as const,
      error: `The lock could not be lifted: ${error.message}`,
    }));
    setBusy(null);
    setMessage(result.ok ? { tone: "ok", text: result.summary } : { tone: "error", text: result.error });
    if (result.ok) router.refresh();
  }

  return (
    <div data-testid="sign-in-locks-now">
      <h3 className="text-sm font-medium">Locked now</h3>
      {locks.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">No username or address is locked right now.</p>
      ) : (
        <ul className="mt-1 space-y-2 text-sm">
          {locks.map((lock) => (
            <li
              key={`${lock.scope}:${lock.name}`}
              className="flex flex-wrap items-center gap-x-3 gap-y-1"
              data-testid="sign-in-lock"
            >
              <span className="min-w-0 [overflow-wrap:anywhere]">
                {lock.scope === "account" ? `The username "${lock.name}"` : `The address ${lock.name}`}: locked for{" "}
                {waitInWords(lock.seconds)} more, after {lock.failures} failed {plural(lock.failures, "sign-in")}.
              </span>
              {lock.scope === "address" ? (
                <button
                  type="button"
                  disabled={busy !== null}
                  onClick={() => lift(lock.name)}
                  className="rounded border border-slate-300 bg-white px-2 py-0.5 hover:bg-slate-100 disabled:opacity-50"
                >
                  {busy === lock.name ? "Lifting the lock…" : "Let this address try again"}
                </button>
              ) : (
                <Link href="/admin/users" className="text-sky-800 underline">
                  Lift it on the Users page
                </Link>
              )}
            </li>
          ))}
        </ul>
      )}
      <div role="status" aria-live="polite">
        {message ? (
          <p
            className={`mt-2 rounded p-2 text-sm ${message.tone === "ok" ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-900"}`}
          >
            {message.text}
          </p>
        ) : null}
      </div>
    </div>
  );
}
