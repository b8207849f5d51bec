// Litestream 0.3.13's `generations` exits 0 when the store refuses or cannot be reached: the
// only sign is an ERROR log record. These are the records it prints (captured from the binary
// against a closed port and a store refusing the key).
import { describe, expect, it } from "vitest";

import { listingError, parseGenerations } from "@/lib/offsite/replica/status";

const REFUSED = [
  'time=2026-12-05T07:20:50.861Z level=ERROR msg="cannot list generations" db=/tmp/lsx/db.sqlite replica=s3 error="RequestError: send request failed\\ncaused by: Get \\"http://127.0.0.1:59999/lab-backups?delimiter=%2F&prefix=replica%2Fgenerations%2F\\": dial tcp 127.0.0.1:59999: connect: connection refused"',
  "name  generation  lag  start  end",
  "",
].join("\n");

const LISTED = [
  "name  generation        lag     start                 end",
  "s3    8d1f0a3b2c4e5f60  -40ms   2026-12-05T07:00:00Z  2026-12-05T07:20:00Z",
  "",
].join("\n");

describe("reading Litestream's generations", () => {
  it("finds the refusal in a listing that exited 0 with an empty table", () => {
    expect(parseGenerations(REFUSED)).toEqual([]);
    expect(listingError(REFUSED)).toBe(
      'cannot list generations: RequestError: send request failed caused by: Get "http://127.0.0.1:59999/lab-backups?delimiter=%2F&prefix=replica%2Fgenerations%2F": dial tcp 127.0.0.1:59999: connect: connection refused',
    );
  });

  it("reports nothing wrong for a listing, full or empty, without an ERROR record", () => {
    expect(listingError(LISTED)).toBeNull();
    expect(parseGenerations(LISTED)).toHaveLength(1);
    expect(listingError("name  generation  lag  start  end\n")).toBeNull();
    expect(listingError('time=… level=INFO msg="initialized db"\n')).toBeNull();
  });

  it("still says something for an ERROR record without an error field", () => {
    expect(listingError("time=x level=ERROR msg=failed\n")).toBe("failed");
  });
});
