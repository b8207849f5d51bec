"use client";

import { useEffect, useRef } from "react";

/**
 * After a restore or roll back that changed the signed-in account, nothing on the page works
 * any more (every action would be refused): say so over the whole page, with the one way on.
 */
export function SignedOutNotice({ what, signInAs = null }: { what: string; signInAs?: string | null }) {
  const link = useRef<HTMLAnchorElement>(null);
  useEffect(() => link.current?.focus(), []);
  return (
    <div
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="signed-out-heading"
      aria-describedby="signed-out-text"
      className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/60 p-4"
      data-testid="signed-out"
    >
      <div className="w-full max-w-md space-y-3 rounded-lg bg-white p-6 shadow-xl">
        <h2 id="signed-out-heading" className="text-lg font-semibold">
          You are signed out
        </h2>
        <p id="signed-out-text" className="text-sm text-slate-700">
          {signInAs ? (
            <>
              The {what} finished, and your account was not kept, so this session has ended. Sign in as{" "}
              <strong>{signInAs}</strong>, with the password you typed before the {what}.
            </>
          ) : (
            <>
              The {what} finished, and your account is not the same in the data it brought back, so this session has
              ended. Sign in with an account from that data.
            </>
          )}
        </p>
        <a
          ref={link}
          href={`/signin?${new URLSearchParams({
            reason: "stale",
            callbackUrl: "/admin/storage",
            ...(signInAs ? { username: signInAs } : {}),
          })}`}
          className="inline-block rounded bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800"
        >
          {signInAs ? `Sign in as ${signInAs}` : "Sign in again"}
        </a>
      </div>
    </div>
  );
}
