// A large download leaves its buffers behind as garbage (an export at 100k: ~0.8 GB of page
// buffers through the server). V8 frees them at its next full collection, which an idle
// server may not run for hours, and the allocator's holes around them make the next download
// start higher: measured at 100k over twenty plain exports on one server, peaks went from
// 187 to 255 MiB and settled at ~235 MiB after each. With one full collection as each ends
// the peaks stayed at 184–223 MiB.
//
// The server runs with --expose-gc (scripts/start.ts); elsewhere (tests, `next dev`) there is
// no collector to call and this does nothing.

/** Runs a full garbage collection once the current work has unwound, when the process allows it. */
export function collectGarbageSoon(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) setImmediate(gc);
}
