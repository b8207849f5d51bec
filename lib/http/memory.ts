// A large download leaves its buffers behind as garbage (an export at 100k: ~0.8 GB of page
// buffers through the server). V8 frees them at its next full collection, which an idle
// server may not run for hours, and the allocator's holes around them make the next download
// start higher: measured at 100k over twenty plain exports on one server, peaks went from
// 187 to 255 MiB and settled at ~235 MiB after each. With one full collection as each ends
// the peaks stayed at 184–223 MiB.
//
// While downloads run nothing more is needed: the buffers' external memory already makes V8
// collect every ~150 ms (--trace-gc during a 300k plain export), and an extra collection
// every 256 MiB sent changed no peak.
//
// The server runs with --expose-gc (scripts/start.ts); elsewhere (tests, `next dev`) there is
// no collector to call and this does nothing.

// On globalThis: each route of the built app bundles its own copy of this module, and the
// rule is about all downloads together.
const cache = globalThis as unknown as { downloadsInFlight?: number };

/**
 * Passes a download's chunks on, then runs one full garbage collection once the last download
 * in flight has ended, however it ended (a client that goes away ends it too).
 */
export async function* collectedWhenDone<T extends Uint8Array>(chunks: AsyncIterable<T>): AsyncGenerator<T> {
  cache.downloadsInFlight = (cache.downloadsInFlight ?? 0) + 1;
  try {
    yield* chunks;
  } finally {
    cache.downloadsInFlight--;
    const gc = (globalThis as { gc?: () => void }).gc;
    // Once the streams around this have unwound and let go of their last chunks.
    if (cache.downloadsInFlight === 0 && gc) setImmediate(gc);
  }
}
