// How long uploaded backups stay in DATA_DIR/uploads: a decrypted one (the plaintext of an
// encrypted backup) an hour at most, any other a day; discarding removes either at once.
import fs from "node:fs";
import { Readable } from "node:stream";

import { beforeEach, describe, expect, it } from "vitest";

import { discardUpload, markDecrypted, pruneUploads, saveUpload, uploadPath, uploadsDir } from "@/lib/backup/uploads";

const MINUTE = 60_000;

async function upload(): Promise<string> {
  return (await saveUpload(Readable.from([Buffer.from('{"models":{}}')]), 1_000_000)).id;
}

/** Makes every file of an upload look `minutes` old. */
function age(id: string, minutes: number) {
  const when = new Date(Date.now() - minutes * MINUTE);
  for (const name of fs.readdirSync(uploadsDir()).filter((n) => n.startsWith(id))) {
    fs.utimesSync(`${uploadsDir()}/${name}`, when, when);
  }
}

beforeEach(() => {
  fs.rmSync(uploadsDir(), { recursive: true, force: true });
});

describe("uploaded backups' lifetime", () => {
  it("a decrypted upload goes after an hour; a plain one stays until a day has passed", async () => {
    const plain = await upload();
    const decrypted = await upload();
    markDecrypted(decrypted);
    age(plain, 61);
    age(decrypted, 59);
    pruneUploads();
    expect(uploadPath(plain)).not.toBeNull();
    expect(uploadPath(decrypted)).not.toBeNull();
    age(decrypted, 61);
    pruneUploads();
    expect(uploadPath(decrypted)).toBeNull();
    expect(fs.readdirSync(uploadsDir()).filter((n) => n.startsWith(decrypted))).toEqual([]);
    age(plain, 24 * 60 + 1);
    pruneUploads();
    expect(uploadPath(plain)).toBeNull();
  });

  it("discarding a decrypted upload removes it and its mark at once", async () => {
    const id = await upload();
    markDecrypted(id);
    discardUpload(id);
    expect(fs.readdirSync(uploadsDir())).toEqual([]);
  });
});
