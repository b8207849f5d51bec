// What the sign-in page says about a refused sign-in. Shared by the page (?error=…) and the
// form (signIn's result); free of server code, as the form runs in the browser.

/** The throttle's message (lib/auth/sign-in.ts TooManyAttempts): nothing else is shown as it came. */
const TOO_MANY_ATTEMPTS = /^Too many attempts\. Try again in \d[\d,]* (?:seconds?|minutes?|hours?)\.$/;

/** Plain words for next-auth's error: the throttle's wait, else the general refusal. */
export function signInErrorWords(error: string | undefined): string {
  if (error && TOO_MANY_ATTEMPTS.test(error)) return error;
  return "Wrong username or password, or the account is inactive.";
}
