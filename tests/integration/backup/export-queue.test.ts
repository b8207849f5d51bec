// A burst of exports queues for a few slots; past 200 waiting, the next is told to come back.
import { describe, expect, it } from "vitest";

import { exportResponse } from "@/lib/backup/http/export";
import { freshDatabase } from "@/tests/support/db";

describe("exports beyond the queue", () => {
  it("are answered 503 with Retry-After once 200 are waiting for the one slot", async () => {
    process.env.BACKUP_EXPORT_CONCURRENCY = "1";
    freshDatabase();
    const streaming = await exportResponse({ source: "api", actor: "robot" });
    expect(streaming.status).toBe(200);
    // These wait for the slot the first holds (they are never answered in this test).
    for (let i = 0; i < 200; i++) void exportResponse({ source: "api", actor: `waiting ${i}` });
    const refused = await exportResponse({ source: "api", actor: "one too many" });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("30");
    expect((await refused.json()).error).toBe("Too many backups are being downloaded at once. Try again shortly.");
    await streaming.body?.cancel();
  });
});
