// NEXTAUTH_SECRET signs session tokens. `npm start` supplies a random per-install secret
// locally (scripts/start.ts); `next dev` falls back to a fixed development value;
// a production server never runs without a configured one.
const DEVELOPMENT_SECRET = "lab-queue-admin-development-secret-not-for-production";

export function authSecret(): string {
  const secret = process.env.NEXTAUTH_SECRET?.trim();
  if (secret) return secret;
  if (process.env.NODE_ENV === "production") {
    throw new Error("NEXTAUTH_SECRET must be set in production (for example: openssl rand -base64 32).");
  }
  return DEVELOPMENT_SECRET;
}
