// Backups encrypted with age (https://age-encryption.org, X25519 recipients), so an off-site
// copy is safe to keep where others can read it. The TypeScript implementation by age's
// author streams in both directions, so a backup of any size is encrypted or decrypted with
// flat memory, in-process, on any server; the reference `age` tool reads what it writes and
// vice versa (tested). Decryption writes the plaintext next to the data only for as long as
// a check or restore needs it.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

import { backupAgeIdentity, dataDir } from "@/lib/config";

const AGE_MAGIC = "age-encryption.org/v1\n";
const RECIPIENT = /^age1[0-9a-z]{58}$/;
const IDENTITY = /^AGE-SECRET-KEY-1[0-9A-Z]{58}$/;

export class EncryptionError extends Error {}

/** age itself, loaded when a key or file is first handled: every CLI imports this module, few encrypt. */
const age = () => import("age-encryption");

export function isEncrypted(file: string): boolean {
  const head = Buffer.alloc(AGE_MAGIC.length);
  const fd = fs.openSync(file, "r");
  try {
    return fs.readSync(fd, head, 0, head.length, 0) === head.length && head.toString("latin1") === AGE_MAGIC;
  } finally {
    fs.closeSync(fd);
  }
}

/** `age1…` recipients from a comma- or space-separated list (BACKUP_ENCRYPT_TO). */
export function parseRecipients(list: string): string[] {
  const recipients = list.split(/[\s,]+/).filter(Boolean);
  const bad = recipients.filter((r) => !RECIPIENT.test(r));
  if (bad.length > 0)
    throw new EncryptionError(`Not an age public key (age1…): ${bad.map((b) => b.slice(0, 12)).join(", ")}…`);
  if (recipients.length === 0) throw new EncryptionError("No age public key (age1…) was given to encrypt to.");
  return recipients;
}

/** The identity from a key file's text (`age-keygen` output: comments and one AGE-SECRET-KEY-1… line). */
export function parseIdentity(text: string): string {
  const key = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.startsWith("AGE-SECRET-KEY-"));
  // Never echo any part of a secret key in a message.
  if (!key || !IDENTITY.test(key)) throw new EncryptionError("That is not an age private key (AGE-SECRET-KEY-1…).");
  return key;
}

export async function newKeyPair(): Promise<{ identity: string; recipient: string }> {
  const { generateIdentity, identityToRecipient } = await age();
  const identity = await generateIdentity();
  return { identity, recipient: await identityToRecipient(identity) };
}

/** Encrypts `source` to `out` for the recipients, streaming; `out` appears only when complete. */
export async function encryptFile(source: string, out: string, recipients: string[]): Promise<void> {
  await encryptStream(fs.createReadStream(source, { highWaterMark: 1024 * 1024 }), out, recipients);
}

/** Encrypts a byte stream to `out` (written aside and renamed when complete). */
export async function encryptStream(source: Readable, out: string, recipients: string[]): Promise<void> {
  const encrypter = new (await age()).Encrypter();
  for (const r of recipients) encrypter.addRecipient(r);
  const encrypted = await encrypter.encrypt(Readable.toWeb(source) as ReadableStream<Uint8Array>);
  const partial = `${out}.partial`;
  try {
    await pipeline(Readable.fromWeb(encrypted as never), fs.createWriteStream(partial));
    fs.renameSync(partial, out);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

/** Decrypts `source` to `out` with the identity; a wrong key or damaged file is an EncryptionError. */
export async function decryptFile(source: string, out: string, identity: string): Promise<void> {
  const decrypter = new (await age()).Decrypter();
  decrypter.addIdentity(identity);
  const input = Readable.toWeb(
    fs.createReadStream(source, { highWaterMark: 1024 * 1024 }),
  ) as ReadableStream<Uint8Array>;
  try {
    const plain = await decrypter.decrypt(input);
    await pipeline(Readable.fromWeb(plain as never), fs.createWriteStream(out) as Writable);
  } catch (error) {
    fs.rmSync(out, { force: true });
    const message = (error as Error).message ?? "";
    if (/no identity matched/i.test(message)) {
      throw new EncryptionError("This backup is encrypted for another key: the private key given does not open it.");
    }
    throw new EncryptionError(`This encrypted backup could not be opened: it is damaged or cut short (${message}).`);
  }
}

/**
 * Runs `read` on the plaintext of `file`: the file itself when it is not encrypted, else a
 * temporary decrypted copy in the data folder, removed afterwards whatever happens.
 */
export async function withDecrypted<T>(
  file: string,
  identity: string | undefined,
  read: (plain: string) => Promise<T>,
): Promise<T> {
  if (!fs.existsSync(file) || !isEncrypted(file)) return read(file);
  if (!identity) {
    throw new EncryptionError(
      "This backup is encrypted (age). Give its private key: --identity FILE or BACKUP_AGE_IDENTITY.",
    );
  }
  fs.mkdirSync(dataDir(), { recursive: true });
  const plain = path.join(dataDir(), `decrypted-${randomBytes(6).toString("hex")}`);
  try {
    await decryptFile(file, plain, identity);
    return await read(plain);
  } finally {
    fs.rmSync(plain, { force: true });
  }
}

/** The private key from `--identity FILE`, else from BACKUP_AGE_IDENTITY; undefined when neither is given. */
export function identityFrom(file: string | undefined): string | undefined {
  if (file) {
    if (!fs.existsSync(file)) throw new EncryptionError(`There is no key file at ${file}.`);
    return parseIdentity(fs.readFileSync(file, "utf8"));
  }
  const fromEnv = backupAgeIdentity();
  return fromEnv ? parseIdentity(fromEnv) : undefined;
}
