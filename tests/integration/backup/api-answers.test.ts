// The backup API's refusals word for word (automation logs them), and what a good key never
// costs: a client's correct requests never count toward its failure limit.
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { GET as databaseRoute } from "@/app/schedule/api/backup/database/route";
import { prisma } from "@/lib/db/prisma";
import { SOCKET_ADDRESS_HEADER } from "@/lib/http/rate-limit";
import { seededDatabase } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { testKey } from "@/tests/support/keys";
import { asUnderNpmStart } from "@/tests/support/socket-address";

const KEY = testKey("api-answers");
const URL = "http://localhost/schedule/api/backup/database/";
let clientCounter = 0;

const call = (authorization?: string, client = `10.9.0.${++clientCounter}`) =>
  databaseRoute(
    new Request(URL, { headers: { [SOCKET_ADDRESS_HEADER]: client, ...(authorization ? { authorization } : {}) } }),
  );

asUnderNpmStart();

describe("the backup API's answers", () => {
  beforeEach(() => {
    seededDatabase(5);
    setEnv({ BACKUP_API_KEY: KEY });
  });
  afterEach(() => {
    setEnv({ BACKUP_API_KEY: undefined });
  });

  it("refuses in plain words: no key, a malformed header, a wrong key, too many failures", async () => {
    const error = async (res: Response) => ({
      status: res.status,
      error: ((await res.json()) as { error: string }).error,
    });
    expect(await error(await call())).toEqual({
      status: 401,
      error: "Authentication required: send Authorization: Bearer <BACKUP_API_KEY>.",
    });
    expect(await error(await call("Basic abc"))).toEqual({
      status: 401,
      error: "Malformed Authorization header: expected 'Bearer <key>'.",
    });
    expect(await error(await call("Bearer not-it"))).toEqual({
      status: 403,
      error: "The backup API key is not valid.",
    });
    const client = "198.51.100.7";
    for (let i = 0; i < 5; i++) await call("Bearer not-it", client);
    const limited = await call(`Bearer ${KEY}`, client);
    expect(await error(limited)).toEqual({ status: 429, error: "Too many failed attempts. Try again later." });
  });

  it("limits failures by BACKUP_API_MAX_FAILURES as configured now, not as it was when the limiter was made", async () => {
    const client = "198.51.100.9";
    // The limiter is made by the first request of this file's tests, with the default of 5.
    await call("Bearer not-it", client);
    setEnv({ BACKUP_API_MAX_FAILURES: "2" });
    try {
      await call("Bearer not-it", client);
      expect((await call(`Bearer ${KEY}`, client)).status).toBe(429);
      setEnv({ BACKUP_API_MAX_FAILURES: "3" });
      const allowed = await call(`Bearer ${KEY}`, client);
      expect(allowed.status).toBe(200);
      await allowed.body?.cancel();
    } finally {
      setEnv({ BACKUP_API_MAX_FAILURES: undefined });
    }
  });

  it("never counts a correct request as a failure", async () => {
    const client = "198.51.100.8";
    for (let i = 0; i < 7; i++) {
      const res = await call(`Bearer ${KEY}`, client);
      expect(res.status, `request ${i + 1}`).toBe(200);
      await res.body?.cancel();
    }
  });

  it("records an export made with the key as the backup API key's, from the API", async () => {
    const res = await call(`Bearer ${KEY}`);
    await res.text();
    // Recorded once the last byte is out: a moment after, or seconds on a loaded machine when
    // the History's first write in this file loads its module (audit.ts imports it on demand).
    await expect.poll(() => prisma().backupEvent.count(), { timeout: 10_000 }).toBe(1);
    expect(await prisma().backupEvent.findFirstOrThrow()).toMatchObject({
      kind: "export",
      source: "api",
      actor: "backup API key",
      result: "ok",
    });
  });
});
