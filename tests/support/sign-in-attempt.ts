// One sign-in through next-auth's credentials endpoint, as a browser's form makes it, from a
// chosen X-Forwarded-For: whether it got in, the error the sign-in page is given, and how long
// the server took.
export interface SignInAttempt {
  signedIn: boolean;
  /** next-auth's ?error= (the throttle's words, or CredentialsSignin), null when signed in. */
  error: string | null;
  ms: number;
}

export async function attemptSignIn(
  url: string,
  username: string,
  password: string,
  forwardedFor?: string,
): Promise<SignInAttempt> {
  const forwarded: Record<string, string> = forwardedFor ? { "X-Forwarded-For": forwardedFor } : {};
  const csrf = await fetch(`${url}/api/auth/csrf`, { headers: forwarded });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const started = performance.now();
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, ...forwarded },
    body: new URLSearchParams({ username, password, csrfToken, json: "true" }),
  });
  const { url: next } = (await res.json()) as { url: string };
  const ms = performance.now() - started;
  const signedIn = res.headers.getSetCookie().some((line) => /next-auth\.session-token=[^;]/.test(line));
  return { signedIn, error: new URL(next, url).searchParams.get("error"), ms };
}
