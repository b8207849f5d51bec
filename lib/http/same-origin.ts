import { trustedProxies } from "@/lib/config";

/**
 * Browsers send Origin on every cross-site POST: refuse any whose host is not ours. Our host is
 * the Host header, or behind a trusted proxy (TRUST_PROXY) the X-Forwarded-Host it set (the last
 * value: a client's own claim comes first); from anyone else that header is not believed.
 */
export function isSameOrigin(headers: Headers, behindProxy = trustedProxies() > 0): boolean {
  const origin = headers.get("origin");
  if (!origin) return false;
  const forwarded = behindProxy ? headers.get("x-forwarded-host")?.split(",").at(-1)?.trim() : undefined;
  const host = forwarded || headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
