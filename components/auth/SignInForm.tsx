"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";

import { signInErrorWords } from "@/lib/auth/sign-in-words";

/** `username` fills the field in (after a restore the admin chose the account to sign in as). */
export function SignInForm({
  callbackUrl,
  notice,
  username,
}: {
  callbackUrl: string;
  notice?: string;
  username?: string;
}) {
  const [error, setError] = useState<string | undefined>(notice);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get("username") ?? "");
    const password = String(form.get("password") ?? "");
    // An empty field is a slip, not a guess: said here, and never sent to count as a failed sign-in.
    const missing = !username.trim() ? "username" : !password ? "password" : null;
    if (missing) {
      setError(`Type your ${missing}.`);
      event.currentTarget.querySelector<HTMLInputElement>(`#${missing}`)?.focus();
      return;
    }
    setPending(true);
    setError(undefined);
    const result = await signIn("credentials", { username, password, redirect: false });
    if (result?.ok && !result.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setError(signInErrorWords(result?.error ?? undefined));
  }

  return (
    <form
      onSubmit={onSubmit}
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
      noValidate
    >
      <div>
        <label htmlFor="username" className="block text-sm font-medium">
          Username
        </label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          required
          defaultValue={username}
          autoFocus={!username}
          className="mt-1 w-full rounded border border-slate-300 px-3 py-2"
        />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          autoFocus={Boolean(username)}
          className="mt-1 w-full rounded border border-slate-300 px-3 py-2"
        />
      </div>
      {error && (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-60"
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
