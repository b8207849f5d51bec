import { createHash, timingSafeEqual } from "node:crypto";

export type BearerCheck = "missing" | "malformed" | "wrong" | "ok";

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

/** Compares in constant time: both sides are hashed first, so neither length nor content leaks. */
export function checkBearer(authorization: string | null, expected: string): BearerCheck {
  if (!authorization) return "missing";
  const match = BEARER.exec(authorization.trim());
  if (!match) return "malformed";
  const given = createHash("sha256").update(match[1]!).digest();
  const wanted = createHash("sha256").update(expected).digest();
  return timingSafeEqual(given, wanted) ? "ok" : "wrong";
}
