// The export's edges: a reader who stops early, chunk sizes, files written plain or gzipped
// by name or by choice, a file that cannot be written, and the HTTP response's two forms.
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

import { afterEach, describe, expect, it, vi } from "vitest";

import { createExport } from "@/lib/backup/export/export";
import { writeExportToFile } from "@/lib/backup/export/write-file";
import { prisma } from "@/lib/db/prisma";
import { exportResponse } from "@/lib/http/export";
import { seededDatabase, tempDir } from "@/tests/support/db";

describe("an export read in part", () => {
  it("hands out chunks of at least 64 KiB, the last one smaller", async () => {
    const file = seededDatabase(300, { activate: false });
    const sizes: number[] = [];
    for await (const chunk of createExport({ file }).chunks) sizes.push(chunk.length);
    expect(sizes.length).toBeGreaterThan(3);
    expect(sizes.slice(0, -1).every((n) => n >= 64 * 1024)).toBe(true);
  });

  it("says it was interrupted when its reader stops before the end", async () => {
    const file = seededDatabase(300, { activate: false });
    const backup = createExport({ file });
    for await (const chunk of backup.chunks) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    await expect(backup.summary).rejects.toThrow("The export was interrupted before it finished.");
  });
});

describe("an export written to a file", () => {
  it("is gzipped when its name ends in .gz or when asked, and plain otherwise", async () => {
    const file = seededDatabase(20, { activate: false });
    const dir = tempDir();
    const isGzip = (out: string) =>
      fs
        .readFileSync(out)
        .subarray(0, 2)
        .equals(Buffer.from([0x1f, 0x8b]));
    const byName = await writeExportToFile(path.join(dir, "a.json.gz"), { file });
    expect(isGzip(byName.file)).toBe(true);
    expect(byName.fileBytes).toBe(fs.statSync(byName.file).size);
    expect(JSON.parse(gunzipSync(fs.readFileSync(byName.file)).toString("utf8")).integrity.complete).toBe(true);
    expect(isGzip((await writeExportToFile(path.join(dir, "b.json"), { file, gzip: true })).file)).toBe(true);
    expect(isGzip((await writeExportToFile(path.join(dir, "c.json.gz"), { file, gzip: false })).file)).toBe(false);
    expect(isGzip((await writeExportToFile(path.join(dir, "d.json"), { file })).file)).toBe(false);
  });

  it("that cannot be written leaves neither the file nor a part of it", async () => {
    const file = seededDatabase(20, { activate: false });
    const dir = tempDir();
    const out = path.join(dir, "e.json");
    fs.mkdirSync(`${out}.partial`); // where the part would be written
    await expect(writeExportToFile(out, { file })).rejects.toThrow(/EISDIR/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe("the export over HTTP", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("marks both forms as files not to be sniffed, and records an abandoned download as failed", async () => {
    seededDatabase(300);
    const gz = await exportResponse({ source: "api", actor: "robot" }, "json.gz");
    expect(gz.headers.get("x-content-type-options")).toBe("nosniff");
    const reader = gz.body!.getReader();
    await reader.read();
    await reader.cancel();
    const plain = await exportResponse({ source: "ui", actor: "ada" });
    expect(plain.headers.get("x-content-type-options")).toBe("nosniff");
    await plain.text();
    // The abandoned one is recorded when its stream closes, which may be after the other ended.
    await expect.poll(() => prisma().backupEvent.count()).toBe(2);
    const events = await prisma().backupEvent.findMany({ orderBy: { startedAt: "asc" } });
    expect(events.map((e) => [e.actor, e.result])).toEqual([
      ["robot", "failed"],
      ["ada", "ok"],
    ]);
    expect(events[0]!.detail).toBe("The export was interrupted before it finished.");
  });

  it("collects the garbage once, when the last of two overlapping downloads has ended", async () => {
    seededDatabase(300);
    const gc = vi.fn();
    vi.stubGlobal("gc", gc);
    const first = await exportResponse({ source: "api", actor: "robot" }, "json.gz");
    const second = await exportResponse({ source: "ui", actor: "ada" });
    await first.arrayBuffer();
    await new Promise((r) => setImmediate(r));
    expect(gc).not.toHaveBeenCalled();
    await second.text();
    await expect.poll(() => gc.mock.calls.length).toBe(1);
  });

  it("answers 503 in the words of the restore's phase while a restore runs", async () => {
    seededDatabase(5);
    const { enterMaintenance } = await import("@/lib/backup/maintenance");
    const lock = enterMaintenance("restore", "tester");
    lock.update("checking and loading records", 0.3);
    try {
      const res = await exportResponse({ source: "ui", actor: "ada" });
      expect(res.status).toBe(503);
      expect((await res.json()).error).toBe(
        "The database is being restored (checking and loading records). Try again shortly.",
      );
    } finally {
      lock.release();
    }
  });
});
