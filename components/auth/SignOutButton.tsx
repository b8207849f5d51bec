"use client";

import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";

/**
 * Signs out, then opens the sign-in page of the address in the browser's bar. (next-auth's own
 * redirect goes to NEXTAUTH_URL, by default http://localhost:PORT: a lab server reached by its
 * name would send people to their own machine.)
 */
export function SignOutButton() {
  const router = useRouter();
  return (
    <button
      type="button"
      onClick={async () => {
        await signOut({ redirect: false });
        router.replace("/signin");
        router.refresh();
      }}
      className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100"
    >
      Sign out
    </button>
  );
}
