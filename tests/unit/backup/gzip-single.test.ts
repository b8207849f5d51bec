// The export gzipped for Content-Encoding: one gzip member, which is all that Chromium and
// curl decode of a response (they drop any member after the first). Judged by Python's zlib,
// which reports where the first member ends.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { GZIP_AHEAD } from "@/lib/backup/export/gzip-members";
import { gzipSingleMember } from "@/lib/backup/export/gzip-single";

/** Decodes the first gzip member only; prints its text's length, whether it ended, and what follows it. */
const FIRST_MEMBER = `
import sys, zlib, json
data = sys.stdin.buffer.read()
d = zlib.decompressobj(31)
text = d.decompress(data)
print(json.dumps({"text": text.decode(), "eof": d.eof, "after": len(d.unused_data)}))`;

function firstMember(gz: Buffer): { text: string; eof: boolean; after: number } {
  return JSON.parse(execFileSync("python3", ["-c", FIRST_MEMBER], { input: gz, encoding: "utf8" }));
}

async function gzipped(chunks: Buffer[]): Promise<Buffer> {
  async function* read() {
    yield* chunks;
  }
  const parts: Buffer[] = [];
  for await (const part of gzipSingleMember(read())) parts.push(part);
  return Buffer.concat(parts);
}

describe("gzipSingleMember", () => {
  it("makes one gzip member of many chunks, holding the whole text", async () => {
    const chunks = Array.from({ length: 30 }, (_, i) =>
      Buffer.from(`{"chunk": ${i}, "text": "${randomBytes(3000).toString("hex")}"},\n`),
    );
    const decoded = firstMember(await gzipped(chunks));
    expect(decoded.eof).toBe(true);
    expect(decoded.after).toBe(0);
    expect(decoded.text).toBe(Buffer.concat(chunks).toString());
  });

  it("is a valid, empty member when there is nothing to compress, and keeps non-ASCII text whole", async () => {
    expect(firstMember(await gzipped([]))).toEqual({ text: "", eof: true, after: 0 });
    const text = ["Größe ", "µK ", "— 温度"].map((s) => Buffer.from(s));
    expect(firstMember(await gzipped(text)).text).toBe("Größe µK — 温度");
  });

  it("takes only GZIP_AHEAD chunks beyond the one it hands out, so memory stays bounded", async () => {
    let taken = 0;
    async function* read() {
      for (let i = 0; i < 20; i++) {
        taken++;
        yield Buffer.from(`chunk ${i}`);
      }
    }
    const parts = gzipSingleMember(read());
    await parts.next(); // the header
    await parts.next(); // the first chunk's piece
    expect(taken).toBe(GZIP_AHEAD + 1);
    await parts.return(undefined);
  });
});
