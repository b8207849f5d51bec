// A burst of exports queues for a few slots; past 200 waiting, the next is told to come back.
// A client that goes away, waiting or before its download is read, gives its slot back.
import { afterEach, describe, expect, it } from "vitest";

import { prisma } from "@/lib/db/prisma";
import { exportResponse } from "@/lib/http/export";
import { freshDatabase, seededDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { within } from "@/tests/support/within";

describe("exports beyond the queue", () => {
  afterEach(() => {
    setEnv({ BACKUP_EXPORT_CONCURRENCY: undefined });
  });

  it("are answered 503 with Retry-After once 200 are waiting for the one slot", async () => {
    setEnv({ BACKUP_EXPORT_CONCURRENCY: "1" });
    freshDatabase();
    const streaming = await exportResponse({ source: "api", actor: "robot" });
    expect(streaming.status).toBe(200);
    // These wait for the slot the first holds (they are never answered in this test).
    const gone = new AbortController();
    for (let i = 0; i < 200; i++) void exportResponse({ source: "api", actor: `waiting ${i}` }, "json", gone.signal);
    const refused = await exportResponse({ source: "api", actor: "one too many" });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("30");
    expect((await refused.json()).error).toBe("Too many backups are being downloaded at once. Try again shortly.");
    gone.abort();
    await streaming.body?.cancel();
  });

  it("let a client that went away while waiting leave the line: the next one gets the slot", async () => {
    setEnv({ BACKUP_EXPORT_CONCURRENCY: "1" });
    seededDatabase(50);
    const held = await exportResponse({ source: "api", actor: "holder" });
    const gone = new AbortController();
    const leaving = exportResponse({ source: "api", actor: "impatient" }, "json", gone.signal);
    gone.abort();
    expect((await leaving).status).toBe(499);
    await held.body!.cancel();
    const next = await within(5000, exportResponse({ source: "api", actor: "next" }), "the next export's slot");
    expect(JSON.parse(await next.text()).integrity.complete).toBe(true);
  });

  it("end an export whose client went away before reading it, freeing the slot and saying so in the History", async () => {
    setEnv({ BACKUP_EXPORT_CONCURRENCY: "1" });
    seededDatabase(50);
    const gone = new AbortController();
    const unread = await exportResponse({ source: "api", actor: "never read" }, "json.gz", gone.signal);
    expect(unread.status).toBe(200);
    gone.abort();
    const next = await within(5000, exportResponse({ source: "api", actor: "next" }), "the next export's slot");
    expect(JSON.parse(await next.text()).integrity.complete).toBe(true);
    await expect
      .poll(async () => (await prisma().backupEvent.findMany({ orderBy: { startedAt: "asc" } })).map((e) => e.result))
      .toEqual(["failed", "ok"]);
    const first = await prisma().backupEvent.findFirst({ where: { actor: "never read" } });
    expect(first?.detail).toBe("The export was interrupted before it finished.");
  });
});
