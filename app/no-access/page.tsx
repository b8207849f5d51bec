import type { Metadata } from "next";

import { SignOutButton } from "@/components/auth/SignOutButton";

export const metadata: Metadata = { title: "No access" };

export default function NoAccessPage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4">
      <h1 className="text-2xl font-semibold">No access</h1>
      <p className="mt-2 text-slate-700">
        You are signed in, but this console is for lab staff only. Ask a staff member if you need access.
      </p>
      <div className="mt-6">
        <SignOutButton />
      </div>
    </main>
  );
}
