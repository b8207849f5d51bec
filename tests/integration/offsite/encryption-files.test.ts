// Encryption in this process, checked against the reference `age` tool (Debian's package): what
// we write it opens, what it writes we open; a wrong key, a cut-short or tampered file is a
// clear refusal that leaves no plaintext on disk; a key is never quoted back. (The CLIs' side
// of the same is encryption.test.ts, in child processes.)
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

import { afterEach, describe, expect, it } from "vitest";

import { writeEncryptedExport } from "@/lib/offsite/encrypted-export";
import {
  decryptFile,
  encryptFile,
  EncryptionError,
  identityFrom,
  isEncrypted,
  newKeyPair,
  parseIdentity,
  parseRecipients,
  withDecrypted,
} from "@/lib/offsite/encryption";
import { seededDatabase, tempDir } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { ageKeyPair } from "@/tests/support/keys";

afterEach(() => setEnv({ BACKUP_AGE_IDENTITY: undefined, DATA_DIR: undefined }));

/** `bytes` of random data in a file: several of age's 64 KiB chunks when large. */
function plainFile(dir: string, bytes: number): string {
  const file = path.join(dir, "plain.bin");
  fs.writeFileSync(file, randomBytes(bytes));
  return file;
}

/** Encrypted by the reference tool. */
function ageEncrypt(file: string, recipient: string): string {
  execFileSync("age", ["-r", recipient, "-o", `${file}.age`, file]);
  return `${file}.age`;
}

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

async function refusal(promise: Promise<unknown>): Promise<EncryptionError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EncryptionError);
  return error as EncryptionError;
}

describe("encrypting and decrypting backups in-process", () => {
  it("writes a file the reference tool opens with each recipient's key, and leaves no partial file", async () => {
    const dir = tempDir("labq-enc-");
    const [first, second] = [ageKeyPair(dir), ageKeyPair(dir)];
    const source = plainFile(dir, 200 * 1024);
    const out = path.join(dir, "out.age");
    await encryptFile(source, out, [first.recipient, second.recipient]);
    expect(isEncrypted(out)).toBe(true);
    for (const key of [first, second]) {
      expect(execFileSync("age", ["-d", "-i", key.keyFile, out]).equals(fs.readFileSync(source))).toBe(true);
    }
    expect(fs.readdirSync(dir).filter((f) => f.includes("partial"))).toEqual([]);
  });

  it("an encryption that fails leaves neither the file nor its partial copy", async () => {
    const dir = tempDir("labq-enc-");
    const key = ageKeyPair(dir);
    const out = path.join(dir, "out.age");
    await expect(encryptFile(path.join(dir, "no-such-file"), out, [key.recipient])).rejects.toThrow(/ENOENT/);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("out"))).toEqual([]);
  });

  it("opens what the reference tool encrypted", async () => {
    const dir = tempDir("labq-enc-");
    const key = ageKeyPair(dir);
    const source = plainFile(dir, 300 * 1024);
    const encrypted = ageEncrypt(source, key.recipient);
    const out = path.join(dir, "opened.bin");
    await decryptFile(encrypted, out, key.identity);
    expect(sha256(out)).toBe(sha256(source));
  });

  it("a key made here works with the reference tool", async () => {
    const dir = tempDir("labq-enc-");
    const { identity, recipient } = await newKeyPair();
    expect(parseRecipients(recipient)).toEqual([recipient]);
    const keyFile = path.join(dir, "key.txt");
    fs.writeFileSync(keyFile, `${identity}\n`);
    const source = plainFile(dir, 1000);
    const encrypted = ageEncrypt(source, recipient);
    expect(execFileSync("age", ["-d", "-i", keyFile, encrypted]).equals(fs.readFileSync(source))).toBe(true);
  });

  it("knows an encrypted file by its header only", () => {
    const dir = tempDir("labq-enc-");
    const write = (name: string, content: string) => {
      fs.writeFileSync(path.join(dir, name), content);
      return path.join(dir, name);
    };
    expect(isEncrypted(write("real.age", "age-encryption.org/v1\n-> X25519 abc\n"))).toBe(true);
    expect(isEncrypted(write("exact.age", "age-encryption.org/v1\n"))).toBe(true);
    expect(isEncrypted(write("plain.json", '{"age-encryption.org/v1":1}'))).toBe(false);
    expect(isEncrypted(write("v2.age", "age-encryption.org/v2\n-> X25519 abc\n"))).toBe(false);
    expect(isEncrypted(write("no-newline.age", "age-encryption.org/v1 -> X25519 abc\n"))).toBe(false);
    expect(isEncrypted(write("short.age", "age-encryption.org/v"))).toBe(false);
    expect(isEncrypted(write("empty", ""))).toBe(false);
  });

  it("closes each file it looks at (a check per listed backup must not run out of file handles)", () => {
    const dir = tempDir("labq-enc-");
    const file = path.join(dir, "b.json.age");
    fs.writeFileSync(file, "age-encryption.org/v1\n");
    const open = () => fs.readdirSync("/proc/self/fd").length;
    const before = open();
    for (let i = 0; i < 50; i++) isEncrypted(file);
    expect(open()).toBeLessThan(before + 10);
  });
});

describe("an encrypted backup that cannot be opened", () => {
  it("for another key: refused in words that say so, without the key, and nothing is written", async () => {
    const dir = tempDir("labq-enc-");
    const [right, wrong] = [ageKeyPair(dir), ageKeyPair(dir)];
    const encrypted = ageEncrypt(plainFile(dir, 100 * 1024), right.recipient);
    const out = path.join(dir, "opened.bin");
    const error = await refusal(decryptFile(encrypted, out, wrong.identity));
    expect(error.message).toBe("This backup is encrypted for another key: the private key given does not open it.");
    expect(fs.existsSync(out)).toBe(false);
  });

  it("cut short or tampered with: refused as damaged, and the plaintext already written is removed", async () => {
    const dir = tempDir("labq-enc-");
    const key = ageKeyPair(dir);
    // 1 MiB: sixteen 64 KiB chunks, so the chunks before the damage decrypt and are written first.
    const encrypted = ageEncrypt(plainFile(dir, 1024 * 1024), key.recipient);
    const whole = fs.readFileSync(encrypted);
    const cut = path.join(dir, "cut.age");
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.7)));
    const tampered = path.join(dir, "tampered.age");
    const changed = Buffer.from(whole);
    const at = Math.floor(whole.length * 0.7);
    changed[at] = changed[at]! ^ 0x01;
    fs.writeFileSync(tampered, changed);
    for (const file of [cut, tampered]) {
      const out = path.join(dir, `${path.basename(file)}.opened`);
      const error = await refusal(decryptFile(file, out, key.identity));
      expect(error.message).toMatch(/^This encrypted backup could not be opened: it is damaged or cut short \(.+\)\.$/);
      expect(error.message).not.toContain(key.identity);
      expect(fs.existsSync(out)).toBe(false);
    }
  });
});

describe("reading a backup that may be encrypted", () => {
  it("hands over a plain file itself, and an encrypted one as a temporary plaintext in the data folder, removed after", async () => {
    const dir = tempDir("labq-enc-");
    const dataDir = path.join(dir, "data", "not-made-yet");
    setEnv({ DATA_DIR: dataDir });
    const key = ageKeyPair(dir);
    const source = plainFile(dir, 150 * 1024);
    expect(await withDecrypted(source, key.identity, async (file) => file)).toBe(source);
    const missing = path.join(dir, "missing.json");
    expect(await withDecrypted(missing, undefined, async (file) => file)).toBe(missing);

    const encrypted = ageEncrypt(source, key.recipient);
    let seen = "";
    const answer = await withDecrypted(encrypted, key.identity, async (plain) => {
      seen = plain;
      expect(sha256(plain)).toBe(sha256(source));
      return 42;
    });
    expect(answer).toBe(42);
    expect(path.dirname(seen)).toBe(dataDir);
    expect(path.basename(seen)).toMatch(/^decrypted-[0-9a-f]{12}$/);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it("removes the temporary plaintext when reading it fails, or when it could not be opened", async () => {
    const dir = tempDir("labq-enc-");
    const dataDir = path.join(dir, "data");
    setEnv({ DATA_DIR: dataDir });
    const [right, wrong] = [ageKeyPair(dir), ageKeyPair(dir)];
    const encrypted = ageEncrypt(plainFile(dir, 150 * 1024), right.recipient);
    const failing = withDecrypted(encrypted, right.identity, async () => {
      expect(fs.readdirSync(dataDir)).toHaveLength(1);
      throw new Error("the restore refused it");
    });
    await expect(failing).rejects.toThrow("the restore refused it");
    expect(fs.readdirSync(dataDir)).toEqual([]);
    let read = false;
    await refusal(withDecrypted(encrypted, wrong.identity, async () => (read = true)));
    expect(read).toBe(false);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it("asks for the private key when an encrypted backup comes without one, and reads nothing", async () => {
    const dir = tempDir("labq-enc-");
    setEnv({ DATA_DIR: path.join(dir, "data") });
    const encrypted = ageEncrypt(plainFile(dir, 1000), ageKeyPair(dir).recipient);
    let read = false;
    const error = await refusal(withDecrypted(encrypted, undefined, async () => (read = true)));
    expect(error.message).toBe(
      "This backup is encrypted (age). Give its private key: --identity FILE or BACKUP_AGE_IDENTITY.",
    );
    expect(read).toBe(false);
  });
});

describe("keys as given by people", () => {
  it("takes public keys separated by commas, spaces or both", () => {
    const [a, b, c] = [0, 1, 2].map(() => ageKeyPair(tempDir("labq-enc-")).recipient);
    expect(parseRecipients(` ${a}, ${b}\n${c} ,`)).toEqual([a, b, c]);
  });

  it("refuses anything but age public keys, quoting only the start of what it refuses", () => {
    const { recipient, identity } = ageKeyPair(tempDir("labq-enc-"));
    for (const bad of [`${recipient}x`, `x${recipient}`, recipient.slice(0, -1), recipient.toUpperCase()]) {
      expect(() => parseRecipients(`${recipient},${bad}`)).toThrow(EncryptionError);
    }
    // A private key pasted where a public one goes is quoted by its first 12 characters only.
    const error = (() => {
      try {
        parseRecipients(`${recipient} ${identity}`);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(EncryptionError);
    expect(error!.message).toBe("Not an age public key (age1…): AGE-SECRET-K…");
    expect(() => parseRecipients("age1short, other")).toThrow("Not an age public key (age1…): age1short, other…");
    for (const empty of ["", " , ", "\n"]) {
      expect(() => parseRecipients(empty)).toThrow("No age public key (age1…) was given to encrypt to.");
    }
  });

  it("finds the private key in a key file, with or without age-keygen's comments and Windows line ends", () => {
    const dir = tempDir("labq-enc-");
    const key = ageKeyPair(dir);
    const file = fs.readFileSync(key.keyFile, "utf8");
    expect(file).toMatch(/^# created/);
    expect(parseIdentity(file)).toBe(key.identity);
    expect(parseIdentity(file.replaceAll("\n", "\r\n"))).toBe(key.identity);
    expect(parseIdentity(`  ${key.identity}  \n`)).toBe(key.identity);
  });

  it("refuses what is not a private key without quoting any of it", () => {
    const { identity } = ageKeyPair(tempDir("labq-enc-"));
    const secretPart = identity.slice(16, 40);
    for (const bad of [
      `${identity}X`,
      identity.slice(0, -1),
      identity.toLowerCase(),
      `# ${identity}`,
      `AGE-SECRET-KEY-2${identity.slice(16)}`,
      "no key here",
      "",
    ]) {
      let error: Error | undefined;
      try {
        parseIdentity(bad);
      } catch (e) {
        error = e as Error;
      }
      expect(error, bad).toBeInstanceOf(EncryptionError);
      expect(error!.message).toBe("That is not an age private key (AGE-SECRET-KEY-1…).");
      expect(error!.message).not.toContain(secretPart);
    }
  });

  it("takes the private key from --identity's file, else BACKUP_AGE_IDENTITY, else there is none", () => {
    const dir = tempDir("labq-enc-");
    const [fromFile, fromEnv] = [ageKeyPair(dir), ageKeyPair(dir)];
    setEnv({ BACKUP_AGE_IDENTITY: fromEnv.identity });
    expect(identityFrom(fromFile.keyFile)).toBe(fromFile.identity);
    expect(identityFrom(undefined)).toBe(fromEnv.identity);
    const missing = path.join(dir, "nowhere.txt");
    expect(() => identityFrom(missing)).toThrow(new EncryptionError(`There is no key file at ${missing}.`));
    setEnv({ BACKUP_AGE_IDENTITY: undefined });
    expect(identityFrom(undefined)).toBeUndefined();
  });
});

describe("an encrypted export", () => {
  it("is the whole database, encrypted (gzipped inside when asked), with its size and hash, and no plaintext file", async () => {
    const dir = tempDir("labq-enc-");
    seededDatabase(20);
    const key = ageKeyPair(dir);
    for (const gzip of [false, true]) {
      const out = path.join(dir, gzip ? "export.json.gz.age" : "export.json.age");
      const written = await writeEncryptedExport(out, [key.recipient], { gzip });
      expect(written).toMatchObject({ file: out, fileBytes: fs.statSync(out).size, fileSha256: sha256(out) });
      expect(written.complete).toBe(true);
      const opened = execFileSync("age", ["-d", "-i", key.keyFile, out]);
      const json = gzip ? gunzipSync(opened) : opened;
      expect(opened[0] === 0x1f && opened[1] === 0x8b).toBe(gzip);
      expect(json.length).toBe(written.bytes);
      expect(createHash("sha256").update(json).digest("hex")).toBe(written.documentSha256);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(["export.json.age", "export.json.gz.age", path.basename(key.keyFile)]);
  });

  it("is plain JSON inside unless gzip is asked for, and of the database it is given when one is", async () => {
    const dir = tempDir("labq-enc-");
    seededDatabase(5);
    const other = seededDatabase(30, { activate: false, seed: 7 });
    const key = ageKeyPair(dir);
    const out = path.join(dir, "other.json.age");
    const written = await writeEncryptedExport(out, [key.recipient]);
    const opened = execFileSync("age", ["-d", "-i", key.keyFile, out]);
    expect(opened.subarray(0, 1).toString()).toBe("{");
    const fromOther = await writeEncryptedExport(path.join(dir, "b.json.age"), [key.recipient], { file: other });
    expect(fromOther.counts).not.toEqual(written.counts);
    expect(fromOther.documentSha256).toBe(
      createHash("sha256")
        .update(execFileSync("age", ["-d", "-i", key.keyFile, path.join(dir, "b.json.age")]))
        .digest("hex"),
    );
  });
});
