// Litestream 0.3.13's `generations` exits 0 when the store refuses or cannot be reached: the
// only sign is an ERROR log record. These are the records it prints (captured from the binary
// against a closed port and a store refusing the key).
import { describe, expect, it } from "vitest";

import { recordInWords } from "@/lib/offsite/replica/restore";
import {
  listingError,
  newestGeneration,
  parseGenerations,
  parseGoDuration,
  windowOf,
} from "@/lib/offsite/replica/status";

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

describe("Litestream's durations", () => {
  it("reads every unit Litestream prints, compound and negative ones included", () => {
    expect(parseGoDuration("-40ms")).toBe(-40);
    expect(parseGoDuration("1.5s")).toBe(1500);
    expect(parseGoDuration("2m3.1s")).toBe(123_100);
    expect(parseGoDuration("1h0m2s")).toBe(3_602_000);
    expect(parseGoDuration("250µs")).toBeCloseTo(0.25, 9);
    expect(parseGoDuration("250us")).toBeCloseTo(0.25, 9);
    expect(parseGoDuration("1500ns")).toBeCloseTo(0.0015, 9);
    expect(parseGoDuration(" 0 ")).toBe(0);
  });

  it("refuses what is not a duration rather than reading it as no lag", () => {
    for (const text of ["", "-", "40", "ms", "1.5", "1x", "soon", "1s garbage", "garbage 1s", "1.s"]) {
      expect(parseGoDuration(text), text).toBeNull();
    }
  });
});

describe("Litestream's generations table", () => {
  const table = (...rows: string[]) => ["name  generation  lag  start  end", ...rows, ""].join("\n");

  it("reads each generation's lag and time span", () => {
    expect(
      parseGenerations(
        table(
          "file  aaaa000000000001  1.5s   2026-12-05T07:00:00Z  2026-12-05T07:20:00Z",
          "file  bbbb000000000002  -40ms  2026-12-05T07:30:00Z  2026-12-05T07:45:10Z",
        ),
      ),
    ).toEqual([
      {
        generation: "aaaa000000000001",
        lagMs: 1500,
        start: new Date("2026-12-05T07:00:00Z"),
        end: new Date("2026-12-05T07:20:00Z"),
      },
      {
        generation: "bbbb000000000002",
        lagMs: -40,
        start: new Date("2026-12-05T07:30:00Z"),
        end: new Date("2026-12-05T07:45:10Z"),
      },
    ]);
  });

  it("skips the header and any row it cannot read, instead of inventing a window", () => {
    expect(
      parseGenerations(
        table(
          "file  cccc000000000003  soon  2026-12-05T07:00:00Z  2026-12-05T07:20:00Z",
          "file  dddd000000000004  1s    yesterday             2026-12-05T07:20:00Z",
          "file  eeee000000000005  1s    2026-12-05T07:00:00Z  never",
          "file  ffff000000000006  1s    2026-12-05T07:00:00Z",
          "file  ffff000000000007  1s    2026-12-05T07:00:00Z  2026-12-05T07:20:00Z  extra",
        ),
      ),
    ).toEqual([]);
    // A table whose first line is a generation is not Litestream's: its first line is always the header.
    expect(parseGenerations("file  aaaa000000000001  1s  2026-12-05T07:00:00Z  2026-12-05T07:20:00Z\n")).toEqual([]);
  });

  it("spans every generation: from the oldest start to the newest end", () => {
    const generations = parseGenerations(
      table(
        "file  bbbb000000000002  0s  2026-12-05T07:30:00Z  2026-12-05T09:00:00Z",
        "file  aaaa000000000001  0s  2026-12-04T07:00:00Z  2026-12-05T07:20:00Z",
        "file  cccc000000000003  0s  2026-12-05T06:00:00Z  2026-12-05T08:00:00Z",
      ),
    );
    expect(windowOf(generations)).toEqual({
      from: new Date("2026-12-04T07:00:00Z"),
      to: new Date("2026-12-05T09:00:00Z"),
    });
    expect(windowOf([])).toBeNull();
  });

  it("takes the generation with the newest change as the one Litestream writes to, whatever the listing's order", () => {
    const generations = parseGenerations(
      table(
        "file  bbbb000000000002  0s  2026-12-05T07:30:00Z  2026-12-05T08:00:00Z",
        "file  aaaa000000000001  0s  2026-12-04T07:00:00Z  2026-12-05T09:00:00Z",
        "file  cccc000000000003  0s  2026-12-05T08:30:00Z  2026-12-05T08:45:00Z",
      ),
    );
    expect(newestGeneration(generations)?.generation).toBe("aaaa000000000001");
    expect(newestGeneration([...generations].reverse())?.generation).toBe("aaaa000000000001");
    expect(generations.map((g) => g.generation)).toEqual(["bbbb000000000002", "aaaa000000000001", "cccc000000000003"]);
    expect(newestGeneration([])).toBeUndefined();
  });
});

describe("Litestream's error records", () => {
  it("unquotes the message and the error, escaped quotes and new lines included", () => {
    expect(
      listingError(
        'time=x level=INFO msg="initialized db"\ntime=x level=ERROR msg="cannot \\"list\\" generations" error="first\\nsecond"\n',
      ),
    ).toBe('cannot "list" generations: first second');
  });

  it("reads the first ERROR record, not a WARN or a word ERROR inside another record", () => {
    const output = [
      'time=x level=WARN msg="slow store" error="took 2s"',
      'time=x level=INFO msg="level=ERRORS are counted"',
      'time=x level=ERROR msg=refused error="403 Forbidden"',
      'time=x level=ERROR msg="second record"',
    ].join("\n");
    expect(listingError(output)).toBe("refused: 403 Forbidden");
  });
});

describe("Litestream's log records in words", () => {
  it("gives a failed command's message and error, quotes and escapes undone", () => {
    expect(
      recordInWords(
        'time=2026-12-05T07:20:50.861Z level=ERROR msg="failed to run" error="cannot restore: no matching backups available \\"x\\""',
      ),
    ).toBe('failed to run: cannot restore: no matching backups available "x"');
    expect(recordInWords("time=x level=ERROR msg=failed error=EOF")).toBe("failed: EOF");
    expect(recordInWords("time=x level=ERROR msg=failed")).toBe("failed");
  });

  it("leaves a line that is not a log record as it is", () => {
    expect(recordInWords("lz4: bad magic number")).toBe("lz4: bad magic number");
  });
});
