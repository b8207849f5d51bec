/** Only same-site paths may be used as post-sign-in destinations (no open redirects). */
export function safeCallbackUrl(value: unknown): string {
  if (typeof value !== "string") return "/admin";
  return value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/admin";
}
