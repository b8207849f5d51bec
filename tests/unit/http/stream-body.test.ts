import { describe, expect, it, vi } from "vitest";

import { startedStreamBody, streamBody } from "@/lib/http/stream-body";

const bytes = (text: string) => new TextEncoder().encode(text);

/** A source that records how far it got and whether its finally block ran. */
function source(parts: string[], { failAt }: { failAt?: number } = {}) {
  const seen = { made: 0, finished: false };
  async function* chunks() {
    try {
      for (const [i, part] of parts.entries()) {
        if (i === failAt) throw new Error("the source failed");
        seen.made++;
        yield bytes(part);
      }
    } finally {
      seen.finished = true;
    }
  }
  return { chunks: chunks(), seen };
}

describe("streamBody", () => {
  it("passes every chunk on in order and reports the whole body read, once", async () => {
    const { chunks } = source(["a", "b", "c"]);
    const onEnd = vi.fn();
    expect(await new Response(streamBody(chunks, { onEnd })).text()).toBe("abc");
    expect(onEnd.mock.calls).toEqual([[true]]);
  });

  it("starts the source as the body is made, before anyone reads it, and reads one chunk ahead", async () => {
    const { chunks, seen } = source(["a", "b", "c"]);
    const reader = streamBody(chunks).getReader();
    await vi.waitFor(() => expect(seen.made).toBe(1));
    await reader.read();
    await vi.waitFor(() => expect(seen.made).toBe(2));
    await new Promise((r) => setImmediate(r));
    expect(seen.made).toBe(2);
    await reader.cancel();
  });

  it("ends the source and reports an incomplete body when the client goes away part-way", async () => {
    const { chunks, seen } = source(["a", "b", "c"]);
    const onEnd = vi.fn();
    const reader = streamBody(chunks, { onEnd }).getReader();
    await reader.read();
    await reader.cancel();
    expect(seen.finished).toBe(true);
    expect(seen.made).toBeLessThan(3);
    expect(onEnd.mock.calls).toEqual([[false]]);
  });

  it("ends the source when the client goes away before reading anything", async () => {
    const { chunks, seen } = source(["a", "b"]);
    const onEnd = vi.fn();
    const body = streamBody(chunks, { onEnd });
    await vi.waitFor(() => expect(seen.made).toBe(1));
    await body.cancel();
    expect(seen.finished).toBe(true);
    expect(onEnd.mock.calls).toEqual([[false]]);
  });

  it("fails the body with the source's error and reports it incomplete", async () => {
    const { chunks } = source(["a", "b"], { failAt: 1 });
    const onEnd = vi.fn();
    await expect(new Response(streamBody(chunks, { onEnd })).text()).rejects.toThrow("the source failed");
    expect(onEnd.mock.calls).toEqual([[false]]);
  });

  it("reports once, as incomplete, when the client goes away while a chunk is being made", async () => {
    let finish!: () => void;
    const slow: AsyncIterator<Uint8Array> = {
      next: () => new Promise((resolve) => (finish = () => resolve({ done: true, value: undefined }))),
      return: async () => ({ done: true, value: undefined }),
    };
    const onEnd = vi.fn();
    const body = streamBody({ [Symbol.asyncIterator]: () => slow }, { onEnd });
    await vi.waitFor(() => expect(finish).toBeDefined());
    await body.cancel();
    finish();
    await new Promise((r) => setImmediate(r));
    expect(onEnd.mock.calls).toEqual([[false]]);
  });

  it("cancels a source that has no way to be ended early", async () => {
    const endless: AsyncIterator<Uint8Array> = { next: async () => ({ done: false, value: bytes("a") }) };
    const body = streamBody({ [Symbol.asyncIterator]: () => endless });
    await expect(body.cancel()).resolves.toBeUndefined();
  });

  it("ends the source when the request's client goes away before the body is ever read", async () => {
    const { chunks, seen } = source(["a", "b", "c"]);
    const gone = new AbortController();
    const onEnd = vi.fn();
    streamBody(chunks, { onEnd, signal: gone.signal });
    await vi.waitFor(() => expect(seen.made).toBe(1));
    gone.abort();
    await vi.waitFor(() => expect(seen.finished).toBe(true));
    expect(onEnd.mock.calls).toEqual([[false]]);
  });

  it("does not start a source whose client is already gone, and ignores an abort after the end", async () => {
    const early = source(["a"]);
    const onEarlyEnd = vi.fn();
    streamBody(early.chunks, { onEnd: onEarlyEnd, signal: AbortSignal.abort() });
    await new Promise((r) => setImmediate(r));
    expect(early.seen.made).toBe(0);
    expect(onEarlyEnd.mock.calls).toEqual([[false]]);

    const late = new AbortController();
    const onEnd = vi.fn();
    expect(await new Response(streamBody(source(["a"]).chunks, { onEnd, signal: late.signal })).text()).toBe("a");
    late.abort();
    expect(onEnd.mock.calls).toEqual([[true]]);
  });
});

describe("startedStreamBody", () => {
  it("throws a source's failure before its first chunk, so no body is answered at all", async () => {
    const { chunks, seen } = source(["a"], { failAt: 0 });
    const onEnd = vi.fn();
    await expect(startedStreamBody(chunks, { onEnd })).rejects.toThrow("the source failed");
    expect(seen.finished).toBe(true);
    expect(onEnd).not.toHaveBeenCalled();
  });

  it("passes on the first chunk it waited for, then the rest, and reports the whole body read", async () => {
    const { chunks } = source(["a", "b", "c"]);
    const onEnd = vi.fn();
    expect(await new Response(await startedStreamBody(chunks, { onEnd })).text()).toBe("abc");
    expect(onEnd.mock.calls).toEqual([[true]]);
    expect(await new Response(await startedStreamBody(source([]).chunks)).text()).toBe("");
  });

  it("ends the source when the client goes away before the first chunk is read", async () => {
    const { chunks, seen } = source(["a", "b", "c"]);
    const onEnd = vi.fn();
    const body = await startedStreamBody(chunks, { onEnd });
    await body.cancel();
    expect(seen.finished).toBe(true);
    expect(seen.made).toBeLessThan(3);
    expect(onEnd.mock.calls).toEqual([[false]]);
  });

  it("cancels a source that has no way to be ended early", async () => {
    const endless: AsyncIterator<Uint8Array> = { next: async () => ({ done: false, value: bytes("a") }) };
    const body = await startedStreamBody({ [Symbol.asyncIterator]: () => endless });
    await expect(body.cancel()).resolves.toBeUndefined();
  });

  it("still fails the body with an error after the first chunk", async () => {
    const { chunks } = source(["a", "b"], { failAt: 1 });
    const onEnd = vi.fn();
    const body = await startedStreamBody(chunks, { onEnd });
    await expect(new Response(body).text()).rejects.toThrow("the source failed");
    expect(onEnd.mock.calls).toEqual([[false]]);
  });
});
