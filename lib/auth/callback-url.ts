/** Only same-site paths may be used as post-sign-in destinations (no open redirects). */
export function safeCallbackUrl(value: unknown): string {
  const text = typeof value === "string" ? value : "";
  return text.startsWith("/") && !text.startsWith("//") && !text.startsWith("/\\") ? text : "/admin";
}
