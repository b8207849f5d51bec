// A client that accepts gzip gets the export gzipped by the app as one gzip member with
// `Content-Encoding: gzip` (next.config.js sends it to the /gzip route and sets the header):
// curl --compressed and Chromium read it whole. Against the real built app.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { chromium } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { browserPath } from "@/lib/config";
import { startApp, type RunningApp } from "@/tests/support/app-server";
import { seededDatabase, tempDir } from "@/tests/support/db";
import { testKey } from "@/tests/support/keys";

const KEY = testKey("gzip-in-transit");
const API = "/schedule/api/backup/database/";
let app: RunningApp;
let dir: string;

/** curl as a user runs it: the response headers and the saved body. */
function curl(args: string[]): { headers: string; body: Buffer } {
  const out = path.join(dir, `body-${Math.random().toString(36).slice(2)}`);
  const headers = execFileSync("curl", ["-sS", "-D", "-", "-o", out, ...args], { encoding: "utf8" });
  return { headers: headers.toLowerCase(), body: fs.readFileSync(out) };
}

const records = (body: Buffer) => {
  const doc = JSON.parse(body.toString("utf8")) as {
    models: Record<string, unknown[]>;
    integrity: { complete: boolean };
  };
  expect(doc.integrity.complete).toBe(true);
  return Object.fromEntries(Object.entries(doc.models).map(([label, list]) => [label, list.length]));
};

beforeAll(async () => {
  const db = seededDatabase(400);
  dir = tempDir("labq-gzip-");
  app = await startApp({ DATABASE_URL: `file:${db}`, DATA_DIR: path.join(dir, "data"), BACKUP_API_KEY: KEY }, 3262);
});
afterAll(async () => {
  await app?.stop();
});

describe("the export gzipped in transit", () => {
  it("reaches curl --compressed as Content-Encoding: gzip, one member, decoded whole; plain without it", () => {
    const auth = ["-H", `Authorization: Bearer ${KEY}`];
    const plain = curl([...auth, `${app.url}${API}`]);
    expect(plain.headers).not.toContain("content-encoding");
    const counts = records(plain.body);

    const gzipped = curl([...auth, "--compressed", `${app.url}${API}`]);
    expect(gzipped.headers).toContain("content-encoding: gzip");
    expect(gzipped.headers).toContain("content-disposition: attachment; filename=database_backup_");
    expect(records(gzipped.body)).toEqual(counts);

    // The raw bytes: one gzip member (Python's zlib stops at the end of the first).
    const raw = curl([...auth, "-H", "Accept-Encoding: gzip", `${app.url}${API}`]).body;
    const members = execFileSync(
      "python3",
      [
        "-c",
        "import sys,zlib; d=zlib.decompressobj(31); d.decompress(sys.stdin.buffer.read()); print(d.eof, len(d.unused_data))",
      ],
      { input: raw, encoding: "utf8" },
    );
    expect(members.trim()).toBe("True 0");
  });

  it("leaves the .json.gz file as it is, and a client refusing gzip gets plain JSON", () => {
    const auth = ["-H", `Authorization: Bearer ${KEY}`];
    const file = curl([...auth, "--compressed", `${app.url}${API}?format=json.gz`]);
    expect(file.headers).toContain("content-type: application/gzip");
    expect(file.headers).not.toContain("content-encoding");
    expect(file.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const refused = curl([...auth, "-H", "Accept-Encoding: gzip;q=0, identity", `${app.url}${API}`]);
    expect(refused.headers).not.toContain("content-encoding");
    records(refused.body);
  });

  it("gzips a refusal too, so a gzip-accepting client reads the sentence", () => {
    const wrong = curl(["-H", "Authorization: Bearer not-the-key", "--compressed", `${app.url}${API}`]);
    expect(wrong.headers).toMatch(/^http\/1\.1 403/);
    expect(wrong.headers).toContain("content-encoding: gzip");
    expect(JSON.parse(wrong.body.toString())).toEqual({ error: "The backup API key is not valid." });
  });

  it("reaches Chromium whole", async () => {
    const browser = await chromium.launch({ executablePath: browserPath() });
    try {
      const page = await browser.newPage();
      await page.goto(`${app.url}/signin`);
      const seen = await page.evaluate(
        async ([api, key]) => {
          const res = await fetch(api!, { headers: { Authorization: `Bearer ${key}` } });
          const text = await res.text();
          const doc = JSON.parse(text) as { integrity: { complete: boolean } };
          return {
            complete: doc.integrity.complete,
            bytes: new TextEncoder().encode(text).length,
            encoding: res.headers.get("content-encoding"),
          };
        },
        [API, KEY],
      );
      expect(seen.complete).toBe(true);
      expect(seen.encoding).toBe("gzip");
      const plain = curl(["-H", `Authorization: Bearer ${KEY}`, `${app.url}${API}`]);
      // The same size give or take the export's time and digests: the whole document, not a first part.
      expect(Math.abs(seen.bytes - plain.body.length)).toBeLessThan(100);
    } finally {
      await browser.close();
    }
  });
});
