// What the sign-in page says about a refused sign-in. Shared by the page (?error=…) and the
// form (signIn's result); free of server code, as the form runs in the browser.
import { waitInWords } from "@/lib/format";

export const WRONG_USERNAME_OR_PASSWORD = "Wrong username or password, or the account is inactive.";

/** The throttle's message (lib/auth/sign-in.ts TooManyAttempts): nothing else is shown as it came. */
const TOO_MANY_ATTEMPTS = /^Too many attempts\. Try again in \d[\d,]* (?:seconds?|minutes?|hours?)\.$/;
/** The warning a wrong password gets when few tries are left (lib/auth/sign-in.ts FewTriesLeft). */
const FEW_TRIES_LEFT =
  /^Wrong username or password, or the account is inactive\. \d+ more tr(?:y|ies) before (?:this account is|sign-ins from your network are) locked for \d[\d,]* (?:seconds?|minutes?|hours?)\.$/;

/**
 * A wrong password's refusal with how many more wrong ones lock what (the username, or the
 * network address when that is nearer), the same words whether or not the account exists.
 */
export function fewTriesLeftWords(tries: number, scope: "account" | "address", lockSeconds: number): string {
  const what = scope === "account" ? "this account is" : "sign-ins from your network are";
  const count = tries === 1 ? "1 more try" : `${tries} more tries`;
  return `${WRONG_USERNAME_OR_PASSWORD} ${count} before ${what} locked for ${waitInWords(lockSeconds)}.`;
}

/** Plain words for next-auth's error: the throttle's wait or warning, else the general refusal. */
export function signInErrorWords(error: string | undefined): string {
  if (error && (TOO_MANY_ATTEMPTS.test(error) || FEW_TRIES_LEFT.test(error))) return error;
  return WRONG_USERNAME_OR_PASSWORD;
}
