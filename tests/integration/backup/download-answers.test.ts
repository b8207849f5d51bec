// What a browser or a backup script is answered when it downloads the export or a snapshot:
// the headers it saves the file by (name, type, length, caching), the gzip it is sent, and the
// slot each answer takes and gives back (a refusal, a failure or a client gone must not keep
// one, or downloads would queue behind nothing).
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

import { afterEach, describe, expect, it } from "vitest";

import { GET as gzipApiRoute } from "@/app/schedule/api/backup/database/gzip/route";
import { enterMaintenance } from "@/lib/backup/maintenance";
import { dataDir, exportConcurrency } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { downloadSlots, exportFormatInput, exportResponse } from "@/lib/http/export";
import { SOCKET_ADDRESS_HEADER } from "@/lib/http/rate-limit";
import { snapshotResponse } from "@/lib/http/snapshot";
import { seededDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { testKey } from "@/tests/support/keys";
import { asUnderNpmStart } from "@/tests/support/socket-address";
import { within } from "@/tests/support/within";

const KEY = testKey("download-answers");
const BACKUP_NAME = /^attachment; filename=database_backup_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.json$/;
const SNAPSHOT_NAME = /^attachment; filename=database_snapshot_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.sqlite3$/;
const ada = { source: "ui", actor: "ada" } as const;

const headersOf = (response: Response) => {
  const { "content-disposition": disposition, ...rest } = Object.fromEntries(response.headers);
  return { disposition, rest };
};
const isGzip = (bytes: Buffer) => bytes.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]));
/** Every slot given back: what a refusal, a failure or a finished download must leave. */
const slotsFree = () => expect.poll(() => downloadSlots().active).toBe(0);

asUnderNpmStart();

describe("the export's answer in each form", () => {
  it("as the plain document: JSON, named .json, never cached, varying with Accept-Encoding", async () => {
    seededDatabase(20);
    const res = await exportResponse(ada, "json");
    const { disposition, rest } = headersOf(res);
    expect(disposition).toMatch(BACKUP_NAME);
    expect(rest).toEqual({
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      vary: "Accept-Encoding",
      "x-content-type-options": "nosniff",
    });
    expect(JSON.parse(await res.text()).integrity.complete).toBe(true);
    await slotsFree();
  });

  it("as a .json.gz file: gzip, named .json.gz, not to be transformed on the way", async () => {
    seededDatabase(20);
    const res = await exportResponse(ada, "json.gz");
    const { disposition, rest } = headersOf(res);
    expect(disposition).toMatch(/^attachment; filename=database_backup_[\d_-]+\.json\.gz$/);
    expect(rest).toEqual({
      "content-type": "application/gzip",
      "cache-control": "no-store, no-transform",
      "x-content-type-options": "nosniff",
    });
    const body = Buffer.from(await res.arrayBuffer());
    expect(isGzip(body)).toBe(true);
    expect(JSON.parse(gunzipSync(body).toString("utf8")).integrity.complete).toBe(true);
  });

  it("gzipped in transit: the document's name and type, its bytes gzipped once, and recorded whole in the History", async () => {
    seededDatabase(20);
    const res = await exportResponse(ada, "gzip-in-transit");
    const { disposition, rest } = headersOf(res);
    expect(disposition).toMatch(BACKUP_NAME);
    expect(rest).toEqual({
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store, no-transform",
      vary: "Accept-Encoding",
      "x-content-type-options": "nosniff",
    });
    const body = Buffer.from(await res.arrayBuffer());
    const doc = JSON.parse(gunzipSync(body).toString("utf8"));
    expect(doc.integrity.complete).toBe(true);
    await expect
      .poll(() => prisma().backupEvent.findMany(), { timeout: 10_000 })
      .toMatchObject([{ kind: "export", actor: "ada", result: "ok" }]);
    const [event] = await prisma().backupEvent.findMany();
    expect(JSON.parse(event!.detail!).file).toMatch(/^database_backup_[\d_-]+\.json$/);
    await slotsFree();
  });

  it("asks for json when no format is named, and refuses one it does not know, naming both", () => {
    expect(exportFormatInput.parse({})).toEqual({ format: "json" });
    expect(exportFormatInput.parse({ format: "json.gz" })).toEqual({ format: "json.gz" });
    const refused = exportFormatInput.safeParse({ format: "zip" });
    expect(refused.error?.issues[0]?.message).toBe(
      'Unknown format "zip": ask for format=json (the default) or format=json.gz.',
    );
  });
});

describe("an export that cannot be made", () => {
  it("is answered 500 with the reason, not a 200 whose body breaks off, and gives its slot back", async () => {
    const db = seededDatabase(5);
    fs.writeFileSync(db, "not a database at all ".repeat(1000));
    const res = await exportResponse(ada, "json");
    expect(res.status).toBe(500);
    expect(res.headers.get("content-disposition")).toBeNull();
    expect(await res.json()).toEqual({ error: "The export could not be made: file is not a database" });
    // (Its History entry would be in that same file: nothing can be recorded there.)
    expect(downloadSlots().active).toBe(0);
  });
});

describe("the backup API's gzip route (for a client that accepts gzip)", () => {
  afterEach(() => setEnv({ BACKUP_API_KEY: undefined }));

  let client = 0;
  const call = (authorization: string, query = "") =>
    gzipApiRoute(
      new Request(`http://localhost/schedule/api/backup/database/gzip/${query}`, {
        headers: { authorization, [SOCKET_ADDRESS_HEADER]: `10.1.0.${++client}` },
      }),
    );

  it("sends the document gzipped once, and a .json.gz file asked of it directly gzipped once more, in transit", async () => {
    seededDatabase(20);
    setEnv({ BACKUP_API_KEY: KEY });
    const doc = await call(`Bearer ${KEY}`);
    expect(doc.status).toBe(200);
    expect(doc.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(JSON.parse(gunzipSync(Buffer.from(await doc.arrayBuffer())).toString("utf8")).integrity.complete).toBe(true);

    // The route's Content-Encoding: gzip covers every answer: the client's decoding leaves the file.
    const file = await call(`Bearer ${KEY}`, "?format=json.gz");
    expect(file.headers.get("content-type")).toBe("application/gzip");
    const saved = gunzipSync(Buffer.from(await file.arrayBuffer()));
    expect(isGzip(saved)).toBe(true);
    expect(JSON.parse(gunzipSync(saved).toString("utf8")).integrity.complete).toBe(true);
    const events = await prisma().backupEvent.findMany();
    expect(events.map((e) => [e.source, e.actor])).toEqual([
      ["api", "backup API key"],
      ["api", "backup API key"],
    ]);
  });

  it("gzips its refusals too, so the client can read why", async () => {
    seededDatabase(5);
    setEnv({ BACKUP_API_KEY: KEY });
    const refused = await call("Bearer wrong-key");
    expect(refused.status).toBe(403);
    expect(JSON.parse(gunzipSync(Buffer.from(await refused.arrayBuffer())).toString("utf8")).error).toEqual(
      expect.any(String),
    );
  });
});

describe("a download's slot", () => {
  it("is given back when the export is refused while a restore runs, so the next export starts at once", async () => {
    seededDatabase(20);
    const lock = enterMaintenance("restore", "tester");
    lock.update("checking the file", 0.1);
    try {
      const refused = await exportResponse(ada, "json");
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("30");
      expect(refused.headers.get("cache-control")).toBe("no-store");
      expect(await refused.json()).toEqual({
        error: "The database is being restored (checking the file). Try again shortly.",
      });
    } finally {
      lock.release();
    }
    expect(downloadSlots().active).toBe(0);
    expect(await prisma().backupEvent.count()).toBe(0);
  });

  it("is given back, and no export made, when the client went away the moment it got the slot", async () => {
    seededDatabase(20);
    const gone = new AbortController();
    const answer = exportResponse(ada, "json", gone.signal);
    gone.abort();
    expect((await answer).status).toBe(499);
    expect(downloadSlots().active).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(await prisma().backupEvent.count()).toBe(0);
  });

  it("is given back, and no snapshot made, when the client went away the moment it got the slot", async () => {
    seededDatabase(5);
    const gone = new AbortController();
    const answer = snapshotResponse(ada, gone.signal);
    gone.abort();
    expect((await answer).status).toBe(499);
    expect(downloadSlots().active).toBe(0);
    expect(await prisma().backupEvent.count()).toBe(0);
  });

  it("is held by a snapshot until its file is sent, and given back after", async () => {
    seededDatabase(20);
    const res = await snapshotResponse(ada);
    expect(downloadSlots().active).toBe(1);
    const body = Buffer.from(await res.arrayBuffer());
    await slotsFree();
    const { disposition, rest } = headersOf(res);
    expect(disposition).toMatch(SNAPSHOT_NAME);
    expect(rest).toEqual({
      "content-type": "application/vnd.sqlite3",
      "content-length": String(body.length),
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    expect(body.subarray(0, 15).toString()).toBe("SQLite format 3");
  });

  it("is given back when a snapshot is refused while a restore runs, or cannot be made", async () => {
    seededDatabase(5);
    const lock = enterMaintenance("restore", "tester");
    lock.update("loading records", 0.5);
    try {
      const refused = await snapshotResponse(ada);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("30");
      expect((await refused.json()).error).toBe("The database is being restored (loading records). Try again shortly.");
    } finally {
      lock.release();
    }
    expect(downloadSlots().active).toBe(0);
    fs.writeFileSync(path.join(dataDir(), "tmp"), "a file where the folder should be");
    expect((await snapshotResponse(ada)).status).toBe(500);
    expect(downloadSlots().active).toBe(0);
  });

  it("is never taken by a snapshot asked of a PostgreSQL database, which is refused in plain words", async () => {
    seededDatabase(5);
    const saved = process.env.DATABASE_URL;
    setEnv({ DATABASE_URL: "postgresql://postgres@127.0.0.1:55432/not_used" });
    try {
      const res = await snapshotResponse(ada);
      expect(res.status).toBe(409);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect((await res.json()).error).toBe(
        "SQLite snapshots apply to a SQLite database; this lab's database is PostgreSQL. Download the JSON export instead.",
      );
      expect(downloadSlots().active).toBe(0);
    } finally {
      setEnv({ DATABASE_URL: saved });
    }
  });

  it("is not given to a snapshot once 200 downloads wait: it is told to come back, with Retry-After", async () => {
    seededDatabase(5);
    const slots = downloadSlots();
    const held: (() => void)[] = [];
    while (slots.active < exportConcurrency()) held.push((await slots.acquire())!);
    const gone = new AbortController();
    for (let i = 0; i < 200; i++) void slots.acquire(gone.signal);
    try {
      const refused = await within(5000, snapshotResponse(ada), "the refusal");
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("30");
      expect((await refused.json()).error).toBe("Too many backups are being downloaded at once. Try again shortly.");
      // No copy of the database was made for it.
      expect(await prisma().backupEvent.count()).toBe(0);
    } finally {
      gone.abort();
      for (const release of held) release();
    }
    await slotsFree();
  });
});
