import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { gunzipSync } from "node:zlib";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { GET as databaseRoute } from "@/app/schedule/api/backup/database/route";
import { enterMaintenance } from "@/lib/backup/maintenance";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { exportConcurrency } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { SOCKET_ADDRESS_HEADER } from "@/lib/http/rate-limit";
import { snapshotResponse } from "@/lib/http/snapshot";
import { writeTemp } from "@/tests/support/backup";
import { seededDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { testKey } from "@/tests/support/keys";
import { asUnderNpmStart } from "@/tests/support/socket-address";

const KEY = testKey("backup-api");
const URL = "http://localhost/schedule/api/backup/database/";
let clientCounter = 0;

/** Members in a gzip file: each decompressor stops at the end of its member. */
const COUNT_GZIP_MEMBERS = `
import sys, zlib
data, members = open(sys.argv[1], "rb").read(), 0
while data:
    inflate = zlib.decompressobj(31)
    inflate.decompress(data)
    data, members = inflate.unused_data, members + 1
print(members)`;

const PYTHON_GUNZIP = "import gzip, sys; sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())";

/**
 * Cancels the held downloads after the first (already cancelled) and waits until every one is
 * in the History as failed, so that none lands in the next test's.
 */
async function abandonRest(held: Response[]) {
  await Promise.all(held.slice(1).map((r) => r.body!.cancel()));
  await expect.poll(() => prisma().backupEvent.count({ where: { result: "failed" } })).toBe(held.length);
}

function call(headers: Record<string, string> = {}, client = `10.0.0.${++clientCounter}`, query = "") {
  return databaseRoute(new Request(`${URL}${query}`, { headers: { [SOCKET_ADDRESS_HEADER]: client, ...headers } }));
}

asUnderNpmStart();

describe("GET /schedule/api/backup/database/", () => {
  beforeEach(() => {
    seededDatabase(150);
    setEnv({ BACKUP_API_KEY: KEY });
  });
  afterEach(() => {
    setEnv({ BACKUP_API_KEY: undefined });
  });

  it("answers 503 with an explanation when no key is configured on the server", async () => {
    setEnv({ BACKUP_API_KEY: undefined });
    const res = await call({ authorization: `Bearer ${KEY}` });
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatch(/BACKUP_API_KEY/);
  });

  it("answers 401 with a Bearer challenge when the header is missing or malformed", async () => {
    const variants: Record<string, string>[] = [
      {},
      { authorization: "Basic dXNlcjpwYXNz" },
      { authorization: "Bearer" },
      { authorization: `Bearer ${KEY} extra` },
    ];
    for (const headers of variants) {
      const res = await call(headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(await res.text()).not.toContain(KEY);
    }
  });

  it("answers 403 to a wrong key and never echoes keys back", async () => {
    const res = await call({ authorization: "Bearer wrong-key" });
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).not.toContain("wrong-key");
    expect(body).not.toContain(KEY);
  });

  it("serves the complete export as an attachment named by its UTC time", async () => {
    const res = await call({ authorization: `Bearer ${KEY}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename=database_backup_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.json$/,
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-encoding")).toBeNull();
    const report = await verifyBackupFile(writeTemp(Buffer.from(await res.arrayBuffer())));
    expect(report.ok).toBe(true);
    expect(report.counts["calendarEditor.QueueEntry"]).toBe(150);
  });

  it("serves the same export as a gzipped .json.gz file with ?format=json.gz", async () => {
    const plain = await call({ authorization: `Bearer ${KEY}` });
    const plainText = await plain.text();
    const res = await call({ authorization: `Bearer ${KEY}` }, undefined, "?format=json.gz");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/gzip");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename=database_backup_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.json\.gz$/,
    );
    expect(res.headers.get("cache-control")).toBe("no-store, no-transform");
    const file = writeTemp(Buffer.from(await res.arrayBuffer()), "backup.json.gz");
    const report = await verifyBackupFile(file);
    expect(report).toMatchObject({ ok: true, kind: "json.gz", digest: "verified" });
    // The same records as the plain export made a moment before (only the export time differs).
    const unzipped = JSON.parse(gunzipSync(fs.readFileSync(file)).toString("utf8"));
    expect(unzipped.models).toEqual(JSON.parse(plainText).models);
  });

  it("writes the .json.gz as several gzip members, which gunzip and Python's gzip read as one file", async () => {
    const res = await call({ authorization: `Bearer ${KEY}` }, undefined, "?format=json.gz");
    const file = writeTemp(Buffer.from(await res.arrayBuffer()), "backup.json.gz");
    const members = execFileSync("python3", ["-c", COUNT_GZIP_MEMBERS, file], { encoding: "utf8" });
    expect(Number(members)).toBeGreaterThan(1);
    const viaGunzip = execFileSync("gunzip", ["-c", file]);
    const viaPython = execFileSync("python3", ["-c", PYTHON_GUNZIP, file]);
    expect(viaPython.equals(viaGunzip)).toBe(true);
    expect(JSON.parse(viaGunzip.toString("utf8")).integrity.complete).toBe(true);
  });

  it("frees the export's slot when a .json.gz download is abandoned part-way", async () => {
    const held = await Promise.all(
      Array.from({ length: exportConcurrency() }, () =>
        call({ authorization: `Bearer ${KEY}` }, undefined, "?format=json.gz"),
      ),
    );
    const reader = held[0]!.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    const next = await call({ authorization: `Bearer ${KEY}` });
    expect(next.status).toBe(200);
    expect(JSON.parse(await next.text()).integrity.complete).toBe(true);
    await abandonRest(held);
  });

  it("refuses an unknown format with 400, saying which formats there are", async () => {
    const res = await call({ authorization: `Bearer ${KEY}` }, undefined, "?format=xml");
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('Unknown format "xml": ask for format=json (the default) or format=json.gz.');
  });

  it("checks the key before the format: a wrong key with a bad format is still 403", async () => {
    expect((await call({ authorization: "Bearer wrong-key" }, undefined, "?format=xml")).status).toBe(403);
  });

  it("rate-limits a client after repeated failures, even with the right key, and not other clients", async () => {
    const attacker = "203.0.113.9";
    for (let i = 0; i < 5; i++) expect((await call({ authorization: `Bearer guess-${i}` }, attacker)).status).toBe(403);
    const blocked = await call({ authorization: `Bearer ${KEY}` }, attacker);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    const other = await call({ authorization: `Bearer ${KEY}` }, "203.0.113.10");
    expect(other.status).toBe(200);
    await other.body?.cancel();
  });

  it("answers 503 with Retry-After while a restore holds the maintenance lock", async () => {
    const lock = enterMaintenance("restore", "tester");
    try {
      const res = await call({ authorization: `Bearer ${KEY}` });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("30");
    } finally {
      lock.release();
    }
  });

  it("records each export in the audit history without the key", async () => {
    const res = await call({ authorization: `Bearer ${KEY}` });
    await res.arrayBuffer();
    // Recorded once the last byte is out: a moment after, or seconds on a loaded machine.
    await expect.poll(() => prisma().backupEvent.count(), { timeout: 10_000 }).toBe(1);
    const events = await prisma().backupEvent.findMany();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: "export",
      source: "api",
      result: "ok",
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(events)).not.toContain(KEY);
  });

  it("streams at most BACKUP_EXPORT_CONCURRENCY exports at once; the next waits for a slot, then succeeds", async () => {
    const held = await Promise.all(
      Array.from({ length: exportConcurrency() }, () => call({ authorization: `Bearer ${KEY}` })),
    );
    expect(held.map((r) => r.status)).toEqual(held.map(() => 200));
    let answered = false;
    const waiting = call({ authorization: `Bearer ${KEY}` }).then((r) => ((answered = true), r));
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(false);
    await held[0]!.body!.cancel();
    const next = await waiting;
    expect(next.status).toBe(200);
    expect(JSON.parse(await next.text()).integrity.complete).toBe(true);
    await abandonRest(held);
  });

  it("snapshot downloads share the exports' slots: one waits while exports hold them all, and frees its slot when sent", async () => {
    const held = await Promise.all(
      Array.from({ length: exportConcurrency() }, () => call({ authorization: `Bearer ${KEY}` })),
    );
    let answered = false;
    const snapshot = snapshotResponse({ source: "ui", actor: "test" }).then((r) => ((answered = true), r));
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(false);
    await held[0]!.body!.cancel();
    const sent = await snapshot;
    expect(sent.status).toBe(200);
    expect(
      Buffer.from(await sent.arrayBuffer())
        .subarray(0, 15)
        .toString(),
    ).toBe("SQLite format 3");
    // Its slot is free again: an export gets it at once.
    const after = await Promise.race([
      call({ authorization: `Bearer ${KEY}` }),
      new Promise<null>((r) => setTimeout(() => r(null), 2000)),
    ]);
    expect(after?.status).toBe(200);
    await abandonRest([after!, ...held.slice(1)]);
  });
});
