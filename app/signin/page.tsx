import type { Metadata } from "next";

import { SignInForm } from "@/components/auth/SignInForm";
import { safeCallbackUrl } from "@/lib/auth/callback-url";
import { signInErrorWords } from "@/lib/auth/sign-in-words";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const notice =
    params.reason === "stale"
      ? "Your account changed since you signed in (for example after a restore). Please sign in again."
      : params.error
        ? signInErrorWords(String(params.error))
        : undefined;
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4">
      <h1 className="mb-1 text-2xl font-semibold">Lab Queue Admin</h1>
      <p className="mb-6 text-sm text-slate-600">Staff sign-in for the cryostat queue console.</p>
      <SignInForm
        callbackUrl={safeCallbackUrl(params.callbackUrl)}
        notice={notice}
        username={typeof params.username === "string" ? params.username.slice(0, 150) : undefined}
      />
    </main>
  );
}
