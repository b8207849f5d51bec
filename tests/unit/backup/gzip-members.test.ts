// The .json.gz download's compression: one gzip member per chunk, a bounded number ahead.
import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";

import { GZIP_AHEAD, gzipMembers } from "@/lib/backup/export/gzip-members";

/** Chunks of text, counting how many the compressor has taken. */
function source(count: number) {
  const taken = { count: 0 };
  const chunks = Array.from({ length: count }, (_, i) =>
    Buffer.from(`chunk ${i} ${randomBytes(2000).toString("hex")}\n`),
  );
  async function* read() {
    for (const chunk of chunks) {
      taken.count++;
      yield chunk;
    }
  }
  return { chunks, taken, read };
}

describe("gzipMembers", () => {
  it("gives one member per chunk, in order, that gunzip as the whole text", async () => {
    const { chunks, read } = source(12);
    const members: Buffer[] = [];
    for await (const member of gzipMembers(read())) members.push(member);
    expect(members).toHaveLength(12);
    members.forEach((member, i) => expect(gunzipSync(member).equals(chunks[i]!)).toBe(true));
    expect(gunzipSync(Buffer.concat(members)).equals(Buffer.concat(chunks))).toBe(true);
  });

  it("takes only GZIP_AHEAD chunks beyond the one it hands out, so memory stays bounded", async () => {
    const { taken, read } = source(20);
    const members = gzipMembers(read());
    await members.next();
    expect(taken.count).toBe(GZIP_AHEAD + 1);
    await members.next();
    expect(taken.count).toBe(GZIP_AHEAD + 2);
    await members.return(undefined);
  });
});
