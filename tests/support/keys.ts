// Keys for tests: bearer keys, and age key pairs made by the reference tool. Bearer keys: The configuration refuses keys shorter than 32 characters
// (MIN_KEY_LENGTH, lib/config.ts), so no test may use a short one like "api-key-1": each test
// names its key by what it is for and gets one long enough to be accepted. The same label
// always gives the same key, so a server started in another process (Playwright's webServer,
// a system test's child) and the test calling it agree without passing the key around.
// (No import of lib/config here: Playwright's config loads this file too.)
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** A key the configuration accepts: the label (for reading test logs), then its SHA-256 in base64url. */
export function testKey(label: string): string {
  return `${label}-${createHash("sha256").update(label).digest("base64url")}`;
}

/**
 * A key pair made by the reference `age-keygen` in `dir`: its key file (with age-keygen's
 * comments), the public key to encrypt to, and the private key line.
 */
export function ageKeyPair(dir: string): { keyFile: string; recipient: string; identity: string } {
  const keyFile = path.join(dir, `key-${randomBytes(4).toString("hex")}.txt`);
  execFileSync("age-keygen", ["-o", keyFile], { stdio: "pipe" });
  const text = fs.readFileSync(keyFile, "utf8");
  return {
    keyFile,
    recipient: /public key: (age1\w+)/.exec(text)![1]!,
    identity: text.split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-"))!,
  };
}
