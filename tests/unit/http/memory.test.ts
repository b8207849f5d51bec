// The one full garbage collection after downloads: exports and file downloads follow one rule.
import { afterEach, describe, expect, it, vi } from "vitest";

import { collectedWhenDone } from "@/lib/http/memory";

const chunks = (n: number) => Array.from({ length: n }, (_, i) => new Uint8Array([i]));
const settle = () => new Promise((r) => setImmediate(r));

async function* slowly(n: number): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks(n)) {
    await settle();
    yield chunk;
  }
}

describe("collecting a download's garbage", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("passes every chunk on unchanged and collects once, after the last of overlapping downloads", async () => {
    const gc = vi.fn();
    vi.stubGlobal("gc", gc);
    const read = async (n: number) => {
      const got: number[] = [];
      for await (const chunk of collectedWhenDone(slowly(n))) got.push(chunk[0]!);
      return got;
    };
    const short = read(2);
    const long = read(6);
    expect(await short).toEqual([0, 1]);
    await settle();
    expect(gc).not.toHaveBeenCalled();
    expect(await long).toEqual([0, 1, 2, 3, 4, 5]);
    await settle();
    expect(gc).toHaveBeenCalledOnce();
  });

  it("counts a download the client gave up on as ended", async () => {
    const gc = vi.fn();
    vi.stubGlobal("gc", gc);
    for await (const chunk of collectedWhenDone(slowly(5))) if (chunk[0] === 1) break;
    await settle();
    expect(gc).toHaveBeenCalledOnce();
  });

  it("does nothing where the process has no collector to call", async () => {
    vi.stubGlobal("gc", undefined);
    const got = [];
    for await (const chunk of collectedWhenDone(slowly(2))) got.push(chunk);
    expect(got).toHaveLength(2);
  });
});
