// next-auth (v4) configuration: username + password against Django-format hashes,
// JWT sessions carrying the account id and a fingerprint of its credentials.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";

import { credentialFingerprint } from "@/lib/auth/accounts";
import { signIn } from "@/lib/auth/sign-in";
import { authSecret } from "@/lib/config";

const SignInInput = z.object({
  username: z.string().trim().min(1).max(150),
  password: z.string().min(1).max(4096),
});

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

/** Built per request so a missing production secret fails requests, not the build. */
export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      // No field list: it only feeds next-auth's own sign-in page, and /signin is ours.
      CredentialsProvider({
        credentials: {},
        // A TooManyAttempts or FewTriesLeft thrown here reaches the sign-in page as ?error=<its message>.
        async authorize(credentials, request) {
          const input = SignInInput.safeParse(credentials);
          if (!input.success) return null;
          const headers = new Headers(request?.headers as Record<string, string> | undefined);
          const account = await signIn(input.data.username, input.data.password, headers);
          if (!account) return null;
          return { id: String(account.id), name: account.username, fingerprint: credentialFingerprint(account) };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = Number(user.id);
          token.fingerprint = (user as { fingerprint?: string }).fingerprint;
        }
        return token;
      },
      session({ session, token }) {
        session.user = { name: token.name, uid: token.uid as number, fingerprint: token.fingerprint as string };
        return session;
      },
    },
  };
}
