// The files the browser sends and receives: uploads kept between the dry run and the restore,
// and snapshot downloads (the route handlers' bodies, without a running server).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";

import { afterEach, describe, expect, it, vi } from "vitest";

import { enterMaintenance } from "@/lib/backup/maintenance";
import { discardUpload, saveUpload, uploadPath, uploadsDir, UploadTooLargeError } from "@/lib/backup/uploads";
import { dataDir, exportConcurrency } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { fileDownload, recordedFileDownload } from "@/lib/http/file-download";
import { snapshotResponse } from "@/lib/http/snapshot";
import { contentHash, seededDatabase, tempDir } from "@/tests/support/db";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("an upload", () => {
  it("is stored whole under a random id that finds it again, and can be discarded", async () => {
    seededDatabase(5);
    const body = Buffer.from("x".repeat(100_000));
    const saved = await saveUpload(Readable.from([body.subarray(0, 40_000), body.subarray(40_000)]), 1_000_000);
    expect(saved.bytes).toBe(100_000);
    expect(saved.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const file = uploadPath(saved.id)!;
    expect(file).toBe(path.join(uploadsDir(), `${saved.id}.upload`));
    expect(sha256(fs.readFileSync(file))).toBe(sha256(body));
    discardUpload(saved.id);
    expect(fs.existsSync(file)).toBe(false);
    expect(uploadPath(saved.id)).toBeNull();
  });

  it("is refused as soon as it passes the limit, and nothing of it stays", async () => {
    seededDatabase(5);
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(1024 * 1024, 1));
    const error = await saveUpload(Readable.from(chunks), 3 * 1024 * 1024).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UploadTooLargeError);
    expect((error as Error).message).toBe("The file is larger than the 3 MiB upload limit (MAX_UPLOAD_BYTES).");
    expect(fs.readdirSync(uploadsDir())).toEqual([]);
    // Exactly at the limit is accepted.
    expect((await saveUpload(Readable.from(chunks.slice(0, 3)), 3 * 1024 * 1024)).bytes).toBe(3 * 1024 * 1024);
  });

  it("is found only by a well-formed id: no other name, no path tricks", async () => {
    seededDatabase(5);
    const saved = await saveUpload(Readable.from([Buffer.from("{}")]), 100);
    expect(uploadPath(saved.id.toUpperCase())).toBeNull();
    expect(uploadPath(`../${saved.id}`)).toBeNull();
    expect(uploadPath(`${saved.id}.upload`)).toBeNull();
    expect(uploadPath("00000000-0000-0000-0000-000000000000")).toBeNull();
    discardUpload("../../etc/passwd");
    expect(uploadPath(saved.id)).not.toBeNull();
  });

  it("left over from more than a day ago is removed when the next one arrives; a newer one stays", async () => {
    seededDatabase(5);
    const old = await saveUpload(Readable.from([Buffer.from("old")]), 100);
    const recent = await saveUpload(Readable.from([Buffer.from("recent")]), 100);
    const dayAndMinute = new Date(Date.now() - (24 * 60 + 1) * 60_000);
    fs.utimesSync(uploadPath(old.id)!, dayAndMinute, dayAndMinute);
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    fs.utimesSync(uploadPath(recent.id)!, hourAgo, hourAgo);
    await saveUpload(Readable.from([Buffer.from("new")]), 100);
    expect(uploadPath(old.id)).toBeNull();
    expect(uploadPath(recent.id)).not.toBeNull();
  });
});

describe("a file download", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("sends the file as an attachment with its length, then deletes it when asked and collects its buffers", async () => {
    const gc = vi.fn();
    vi.stubGlobal("gc", gc);
    const file = path.join(tempDir(), "some.sqlite3");
    fs.writeFileSync(file, Buffer.alloc(3 * 1024 * 1024 + 5, 7));
    const res = fileDownload(file, "snap.sqlite3", { deleteAfter: true });
    expect(Object.fromEntries(res.headers)).toEqual({
      "content-type": "application/vnd.sqlite3",
      "content-length": String(3 * 1024 * 1024 + 5),
      "content-disposition": "attachment; filename=snap.sqlite3",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBe(3 * 1024 * 1024 + 5);
    await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(file)).toBe(false);
    expect(gc).toHaveBeenCalledOnce();
  });

  it("deletes a temporary file whose client went away, before or while it downloaded", async () => {
    for (const goneFirst of [true, false]) {
      const file = path.join(tempDir(), "temporary.sqlite3");
      fs.writeFileSync(file, Buffer.alloc(4 * 1024 * 1024, 1));
      const gone = new AbortController();
      if (goneFirst) gone.abort();
      const res = fileDownload(file, "snap.sqlite3", { deleteAfter: true, signal: gone.signal });
      if (!goneFirst) {
        await res.body!.getReader().read();
        gone.abort();
      }
      await expect.poll(() => fs.existsSync(file)).toBe(false);
    }
  });

  it("of a temporary file someone else removed meanwhile still ends whole, with no error thrown", async () => {
    const file = path.join(tempDir(), "temporary.sqlite3");
    fs.writeFileSync(file, Buffer.alloc(3 * 1024 * 1024, 2));
    const ends: boolean[] = [];
    const res = fileDownload(file, "snap.sqlite3", { deleteAfter: true, onEnd: (whole) => ends.push(whole) });
    const reader = res.body!.getReader();
    let bytes = (await reader.read()).value!.length;
    fs.rmSync(file); // open files are read to the end on Linux
    for (let next = await reader.read(); !next.done; next = await reader.read()) bytes += next.value.length;
    expect(bytes).toBe(3 * 1024 * 1024);
    expect(ends).toEqual([true]);
    // The stream's close (where the file would be removed) has run, without an uncaught error.
    await new Promise((r) => setTimeout(r, 50));
  });

  it("fails its body, rather than end a short download as if whole, when the file cannot be read", async () => {
    const unreadable = tempDir(); // a folder: it has a size, but reading it fails
    const ends: boolean[] = [];
    const res = fileDownload(unreadable, "snap.sqlite3", { onEnd: (whole) => ends.push(whole) });
    await expect(res.arrayBuffer()).rejects.toThrow(/EISDIR/);
    expect(ends).toEqual([false]);
  });

  it("keeps the file unless asked to delete it, and says what it holds", async () => {
    const file = path.join(tempDir(), "archive.csv");
    fs.writeFileSync(file, "a,b\n");
    const res = fileDownload(file, "archive.csv", { contentType: "text/csv; charset=utf-8" });
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(await res.text()).toBe("a,b\n");
    expect(fs.existsSync(file)).toBe(true);
  });
});

describe("a kept file's download (a safety snapshot, the copy of a cleared archive)", () => {
  it("is in the History under who downloaded it once the last byte is sent, and the file stays", async () => {
    seededDatabase(5);
    const file = path.join(tempDir(), "safety_2026-12-05.sqlite3");
    fs.writeFileSync(file, Buffer.alloc(2 * 1024 * 1024 + 3, 4));
    const res = recordedFileDownload(file, "safety_2026-12-05.sqlite3", {
      kind: "snapshot",
      who: { source: "ui", actor: "ada" },
      what: "Safety snapshot safety_2026-12-05.sqlite3",
    });
    expect(await prisma().backupEvent.count()).toBe(0);
    expect((await res.arrayBuffer()).byteLength).toBe(2 * 1024 * 1024 + 3);
    await expect.poll(() => prisma().backupEvent.count(), { timeout: 10_000 }).toBe(1);
    expect(await prisma().backupEvent.findFirst()).toMatchObject({
      kind: "snapshot",
      source: "ui",
      actor: "ada",
      result: "ok",
      bytes: 2 * 1024 * 1024 + 3,
      detail: JSON.stringify({
        summary: "Safety snapshot safety_2026-12-05.sqlite3",
        file: "safety_2026-12-05.sqlite3",
      }),
    });
    expect(fs.existsSync(file)).toBe(true);
  });

  it("given up part-way is in the History as failed, saying which file", async () => {
    seededDatabase(5);
    const file = path.join(tempDir(), "archive_copy.json");
    fs.writeFileSync(file, Buffer.alloc(4 * 1024 * 1024, 32));
    const gone = new AbortController();
    const res = recordedFileDownload(file, "archive_copy.json", {
      kind: "archive-export",
      who: { source: "ui", actor: "ada" },
      what: "Copy of the cleared archive archive_copy.json",
      signal: gone.signal,
    });
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    gone.abort();
    await reader.cancel();
    await expect.poll(() => prisma().backupEvent.count(), { timeout: 10_000 }).toBe(1);
    expect(await prisma().backupEvent.findFirst()).toMatchObject({
      kind: "archive-export",
      result: "failed",
      detail: "Copy of the cleared archive archive_copy.json: The download was interrupted before it finished.",
    });
    expect(fs.existsSync(file)).toBe(true);
  });
});

describe("a snapshot download", () => {
  it("is a consistent copy of the database, recorded in the History with its SHA-256, its copy gone once sent", async () => {
    const db = seededDatabase(20);
    const res = await snapshotResponse({ source: "ui", actor: "ada" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename=database_snapshot_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.sqlite3$/,
    );
    const body = Buffer.from(await res.arrayBuffer());
    const copy = path.join(tempDir(), "downloaded.sqlite3");
    fs.writeFileSync(copy, body);
    expect(contentHash(copy)).toBe(contentHash(db));
    // Recorded once the last byte is sent, as the client got it.
    await expect.poll(() => prisma().backupEvent.count(), { timeout: 10_000 }).toBe(1);
    const [event] = await prisma().backupEvent.findMany();
    expect(event).toMatchObject({ kind: "snapshot", source: "ui", actor: "ada", result: "ok", bytes: body.length });
    expect(event!.sha256).toBe(sha256(body));
    await new Promise((r) => setTimeout(r, 50));
    expect(fs.readdirSync(path.join(dataDir(), "tmp"))).toEqual([]);
  });

  it("given up part-way by its client is in the History as failed, not ok, and its copy is gone", async () => {
    seededDatabase(300);
    const gone = new AbortController();
    const res = await snapshotResponse({ source: "ui", actor: "ada" }, gone.signal);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    gone.abort();
    await reader.cancel();
    await expect.poll(() => prisma().backupEvent.count(), { timeout: 10_000 }).toBe(1);
    const [event] = await prisma().backupEvent.findMany();
    expect(event).toMatchObject({
      kind: "snapshot",
      actor: "ada",
      result: "failed",
      detail: "The download was interrupted before it finished.",
      sha256: null,
    });
    await expect.poll(() => fs.readdirSync(path.join(dataDir(), "tmp"))).toEqual([]);
  });

  it("is not made for a client that went away while it waited for a slot", async () => {
    seededDatabase(5);
    const { downloadSlots } = await import("@/lib/http/export");
    const slots = downloadSlots();
    const held: (() => void)[] = [];
    while (slots.active < exportConcurrency()) held.push((await slots.acquire())!);
    const gone = new AbortController();
    const waiting = snapshotResponse({ source: "ui", actor: "ada" }, gone.signal);
    gone.abort();
    const res = await waiting;
    expect(res.status).toBe(499);
    for (const release of held) release();
    expect(slots.active).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(await prisma().backupEvent.count()).toBe(0);
    const tmp = path.join(dataDir(), "tmp");
    expect(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []).toEqual([]);
  });

  it("answers 503 while a restore runs, and 500 with the reason when the copy cannot be made", async () => {
    seededDatabase(5);
    const lock = enterMaintenance("restore", "someone");
    try {
      expect((await snapshotResponse({ source: "ui", actor: "ada" })).status).toBe(503);
    } finally {
      lock.release();
    }
    fs.writeFileSync(path.join(dataDir(), "tmp"), "a file where the folder should be");
    const failed = await snapshotResponse({ source: "ui", actor: "ada" });
    expect(failed.status).toBe(500);
    expect((await failed.json()).error).toMatch(/^The snapshot could not be made: E[A-Z]+/);
    const [event] = await prisma().backupEvent.findMany();
    expect(event).toMatchObject({ kind: "snapshot", result: "failed", detail: expect.stringMatching(/^E[A-Z]+/) });
  });
});
