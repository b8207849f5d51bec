// What an Authorization header holds, against the keys configured for a purpose.
import { afterEach, describe, expect, it } from "vitest";

import { authorizeBearer, checkBearer, keysFor } from "@/lib/http/bearer";
import { SOCKET_ADDRESS_HEADER } from "@/lib/http/rate-limit";
import { setEnv } from "@/tests/support/env";
import { testKey } from "@/tests/support/keys";
import { asUnderNpmStart } from "@/tests/support/socket-address";

const EXPORT_KEY = testKey("bearer-export");
const STATUS_KEY = testKey("bearer-status");

afterEach(() =>
  setEnv({ BACKUP_API_KEY: undefined, BACKUP_STATUS_KEY: undefined, BACKUP_API_MAX_FAILURES: undefined }),
);
// Each test names its own client address, as the server under `npm start` learns it.
asUnderNpmStart();

const ask = (client: string, authorization?: string) =>
  new Request("http://localhost/schedule/api/backup/database/", {
    headers: { [SOCKET_ADDRESS_HEADER]: client, ...(authorization ? { authorization } : {}) },
  });
const refusal = async (response: Response | null) =>
  response && {
    status: response.status,
    headers: response.headers,
    error: ((await response.json()) as { error: string }).error,
  };

describe("reading a bearer key", () => {
  it("tells a missing header from a malformed one, a wrong key and the right one", () => {
    expect(checkBearer(null, EXPORT_KEY)).toBe("missing");
    expect(checkBearer("", EXPORT_KEY)).toBe("missing");
    expect(checkBearer(`Basic ${EXPORT_KEY}`, EXPORT_KEY)).toBe("malformed");
    expect(checkBearer("Bearer key with spaces", EXPORT_KEY)).toBe("malformed");
    expect(checkBearer("Bearer ", EXPORT_KEY)).toBe("malformed");
    expect(checkBearer(`Bearer ${STATUS_KEY}`, EXPORT_KEY)).toBe("wrong");
    expect(checkBearer(`Bearer ${EXPORT_KEY}x`, EXPORT_KEY)).toBe("wrong");
    expect(checkBearer(`Bearer ${EXPORT_KEY}`, EXPORT_KEY)).toBe("ok");
    expect(checkBearer(`  Bearer ${EXPORT_KEY}  `, EXPORT_KEY)).toBe("ok");
  });

  it("accepts any of several keys, whichever it is", () => {
    expect(checkBearer(`Bearer ${STATUS_KEY}`, [EXPORT_KEY, STATUS_KEY])).toBe("ok");
    expect(checkBearer(`Bearer ${EXPORT_KEY}`, [EXPORT_KEY, STATUS_KEY])).toBe("ok");
    expect(checkBearer(`Bearer ${EXPORT_KEY}`, [])).toBe("wrong");
  });
});

describe("the keys for a purpose", () => {
  it("opens the export with the backup key only, and the status with either", () => {
    setEnv({ BACKUP_API_KEY: EXPORT_KEY, BACKUP_STATUS_KEY: STATUS_KEY });
    expect(keysFor("export")).toEqual([EXPORT_KEY]);
    expect(keysFor("status")).toEqual([STATUS_KEY, EXPORT_KEY]);
  });

  it("has none configured when the variables are unset, and the status key alone opens no export", () => {
    expect(keysFor("export")).toEqual([]);
    expect(keysFor("status")).toEqual([]);
    setEnv({ BACKUP_STATUS_KEY: STATUS_KEY });
    expect(keysFor("export")).toEqual([]);
    expect(keysFor("status")).toEqual([STATUS_KEY]);
  });
});

describe("refusing a request for automation", () => {
  it("answers 503 naming the variable when no key for the purpose is configured", async () => {
    const refused = await refusal(authorizeBearer(ask("10.1.0.1", `Bearer ${EXPORT_KEY}`), "export"));
    expect(refused).toMatchObject({ status: 503, error: expect.stringContaining("set the BACKUP_API_KEY") as string });
  });

  it("refuses the status key at the export (403) without counting it as a guess", async () => {
    setEnv({ BACKUP_API_KEY: EXPORT_KEY, BACKUP_STATUS_KEY: STATUS_KEY, BACKUP_API_MAX_FAILURES: "2" });
    for (let i = 0; i < 3; i++) {
      const refused = await refusal(authorizeBearer(ask("10.1.0.2", `Bearer ${STATUS_KEY}`), "export"));
      expect(refused).toMatchObject({
        status: 403,
        error: "This key reads the backup status only: exporting takes BACKUP_API_KEY.",
      });
    }
    expect(authorizeBearer(ask("10.1.0.2", `Bearer ${EXPORT_KEY}`), "export")).toBeNull();
    expect(authorizeBearer(ask("10.1.0.2", `Bearer ${STATUS_KEY}`), "status")).toBeNull();
  });

  it("counts wrong keys per client and answers 429 with Retry-After past BACKUP_API_MAX_FAILURES", async () => {
    setEnv({ BACKUP_API_KEY: EXPORT_KEY, BACKUP_STATUS_KEY: STATUS_KEY, BACKUP_API_MAX_FAILURES: "2" });
    const wrong = await refusal(authorizeBearer(ask("10.1.0.3", `Bearer ${STATUS_KEY}x`), "export"));
    expect(wrong).toMatchObject({ status: 403, error: "The backup API key is not valid." });
    const malformed = await refusal(authorizeBearer(ask("10.1.0.3", "Token abc"), "export"));
    expect(malformed?.status).toBe(401);
    expect(malformed?.headers.get("www-authenticate")).toBe('Bearer realm="database-backup", error="invalid_request"');
    const limited = await refusal(authorizeBearer(ask("10.1.0.3", `Bearer ${EXPORT_KEY}`), "export"));
    expect(limited).toMatchObject({ status: 429, error: "Too many failed attempts. Try again later." });
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThan(500);
    // Another client is not limited.
    expect(authorizeBearer(ask("10.1.0.4", `Bearer ${EXPORT_KEY}`), "export")).toBeNull();
  });

  it("names the status key in the status route's refusals", async () => {
    setEnv({ BACKUP_STATUS_KEY: STATUS_KEY });
    const missing = await refusal(authorizeBearer(ask("10.1.0.5"), "status"));
    expect(missing).toMatchObject({
      status: 401,
      error: "Authentication required: send Authorization: Bearer <BACKUP_STATUS_KEY>.",
    });
    expect(missing?.headers.get("www-authenticate")).toBe('Bearer realm="database-backup"');
  });
});
