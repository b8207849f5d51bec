// Uploaded backups wait in the data folder between the dry run and the restore. They are
// stored under random ids; the browser's file name is only ever displayed.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

import { dataDir } from "@/lib/config";

const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** A decrypted upload is plaintext of an encrypted backup: kept an hour at most. */
const DECRYPTED_MAX_AGE_MS = 60 * 60 * 1000;
const DECRYPTED = ".decrypted";

export class UploadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The file is larger than the ${Math.round(limit / 1024 / 1024)} MiB upload limit (MAX_UPLOAD_BYTES).`);
  }
}

export function uploadsDir(): string {
  return path.join(dataDir(), "uploads");
}

/** The stored file for an id, or null for anything that is not a well-formed, existing upload. */
export function uploadPath(id: string): string | null {
  if (!UPLOAD_ID.test(id)) return null;
  const file = path.join(uploadsDir(), `${id}.upload`);
  return fs.existsSync(file) ? file : null;
}

export function discardUpload(id: string): void {
  const file = uploadPath(id);
  if (file) fs.rmSync(file, { force: true });
  if (file) fs.rmSync(`${file}${DECRYPTED}`, { force: true });
}

/**
 * The upload now holds the plaintext of an encrypted backup: it goes when restored or
 * discarded, and an hour from now whatever happens (the server's timer; after a restart, the
 * next prune).
 */
export function markDecrypted(id: string): void {
  const file = uploadPath(id);
  if (!file) return;
  fs.writeFileSync(`${file}${DECRYPTED}`, "");
  setTimeout(() => discardUpload(id), DECRYPTED_MAX_AGE_MS).unref();
}

/** Removes uploads past their age: a day, or an hour for a decrypted one. */
export function pruneUploads(now = Date.now()): void {
  const dir = uploadsDir();
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    const upload = name.endsWith(DECRYPTED) ? file.slice(0, -DECRYPTED.length) : file;
    const decrypted = fs.existsSync(`${upload}${DECRYPTED}`);
    const age = now - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? now);
    // A marker whose upload is gone, or an upload (with its marker) past its age.
    if ((upload !== file && !fs.existsSync(upload)) || age > (decrypted ? DECRYPTED_MAX_AGE_MS : MAX_AGE_MS)) {
      fs.rmSync(file, { force: true });
      if (upload === file) fs.rmSync(`${file}${DECRYPTED}`, { force: true });
    }
  }
}

/** Streams a request body (or a download) to disk, refusing it as soon as it passes `limit` bytes. */
export async function saveUpload(
  body: ReadableStream<Uint8Array> | Readable,
  limit: number,
): Promise<{ id: string; bytes: number }> {
  pruneUploads();
  fs.mkdirSync(uploadsDir(), { recursive: true });
  const id = randomUUID();
  const file = path.join(uploadsDir(), `${id}.upload`);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > limit) done(new UploadTooLargeError(limit));
      else done(null, chunk);
    },
  });
  const writer = fs.createWriteStream(file);
  try {
    await pipeline(body instanceof Readable ? body : Readable.fromWeb(body as never), counter, writer);
    return { id, bytes };
  } catch (error) {
    // The file is opened asynchronously: wait until it is closed, or it could reappear after the rm.
    if (!writer.closed) await new Promise<void>((resolve) => writer.once("close", () => resolve()));
    fs.rmSync(file, { force: true });
    throw error;
  }
}
