// What an Authorization header holds, against the keys configured for a purpose.
import { afterEach, describe, expect, it } from "vitest";

import { checkBearer, keysFor } from "@/lib/http/bearer";
import { setEnv } from "@/tests/support/env";
import { testKey } from "@/tests/support/keys";

const EXPORT_KEY = testKey("bearer-export");
const STATUS_KEY = testKey("bearer-status");

afterEach(() => setEnv({ BACKUP_API_KEY: undefined, BACKUP_STATUS_KEY: undefined }));

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
