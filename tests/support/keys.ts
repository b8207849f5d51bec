// Bearer keys for tests. The configuration refuses keys shorter than 32 characters
// (MIN_KEY_LENGTH, lib/config.ts), so no test may use a short one like "api-key-1": each test
// names its key by what it is for and gets one long enough to be accepted. The same label
// always gives the same key, so a server started in another process (Playwright's webServer,
// a system test's child) and the test calling it agree without passing the key around.
// (No import of lib/config here: Playwright's config loads this file too.)
import { createHash } from "node:crypto";

/** A key the configuration accepts: the label (for reading test logs), then its SHA-256 in base64url. */
export function testKey(label: string): string {
  return `${label}-${createHash("sha256").update(label).digest("base64url")}`;
}
