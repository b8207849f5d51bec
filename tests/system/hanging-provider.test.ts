// Manage Storage when the off-site providers hang: a loopback server that accepts every
// connection and never answers stands in for both S3 and GitHub's API. The page is needed in a
// disaster; it must render at once and say which provider is not answering.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

import { chromium } from "@playwright/test";
import { afterAll, beforeAll, expect, it } from "vitest";

import { createAccount } from "@/lib/auth/accounts";
import { browserPath } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { signIn, startApp, type RunningApp } from "@/tests/support/app-server";
import { seededDatabase } from "@/tests/support/db";

const STAFF = { username: "hang-staff", password: "hang-staff-password" };
const TIMEOUT_SECONDS = 3;

let app: RunningApp;
let silent: net.Server;
const sockets = new Set<net.Socket>();
let cookie: string;
let sessionCookies: { name: string; value: string }[];

beforeAll(async () => {
  silent = net.createServer((socket) => {
    // Read whatever comes, answer nothing, keep the connection open.
    sockets.add(socket);
    socket.on("data", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const { port } = silent.address() as net.AddressInfo;
  const db = seededDatabase(5);
  await createAccount({ ...STAFF, staff: true });
  await prisma().$disconnect();
  app = await startApp(
    {
      DATABASE_URL: `file:${db}`,
      DATA_DIR: process.env.DATA_DIR!,
      BACKUP_S3_URL: "s3://lab-backups/queue",
      BACKUP_S3_ENDPOINT: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: "HANG",
      AWS_SECRET_ACCESS_KEY: "HANG",
      GITHUB_REPO: "lab/queue",
      GITHUB_TOKEN: "hang-token",
      GITHUB_API_URL: `http://127.0.0.1:${port}`,
      BACKUP_PROVIDER_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
    },
    3243,
  );
  cookie = (await signIn(app.url, STAFF.username, STAFF.password))!.cookie;
  // A fresh server loads a page's code on its first request (a second or more on a loaded
  // machine): asked for once here, as a running server would have been, so the timing below is
  // the page's and not the start-up's.
  await (await fetch(`${app.url}/admin/storage`, { headers: { Cookie: cookie } })).text();
  sessionCookies = cookie.split("; ").map((pair) => {
    const [name, ...value] = pair.split("=");
    return { name: name!, value: value.join("=") };
  });
});

afterAll(async () => {
  await app?.stop();
  for (const socket of sockets) socket.destroy();
  silent?.close();
});

it("Manage Storage renders within 2 s while both providers hang, then says they are not answering", async () => {
  const started = performance.now();
  const res = await fetch(`${app.url}/admin/storage`, { headers: { Cookie: cookie } });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let html = "";
  let shellMs: number | null = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    html += decoder.decode(value, { stream: true });
    // The page's own panels (export, restore, history) and the listing's placeholder.
    if (shellMs === null && html.includes('id="history-heading"') && html.includes("cloud-backups-loading")) {
      shellMs = performance.now() - started;
    }
  }
  const totalMs = performance.now() - started;
  console.log(`page shell in ${Math.round(shellMs ?? -1)} ms, listing given up after ${Math.round(totalMs)} ms`);
  expect(shellMs).not.toBeNull();
  expect(shellMs!).toBeLessThan(2000);
  expect(html).toContain("Asking s3://lab-backups/queue and github.com/lab/queue (database-backups) for its backups");
  // The streamed-in card: each provider on its line, saying it is not answering.
  const card = html.slice(html.indexOf('data-testid="cloud-backups"'));
  const lines = [...card.matchAll(/<p class="text-sm text-slate-600[^"]*">(.*?)<\/p>/g)].map((m) =>
    m[1]!.replace(/<[^>]+>/g, ""),
  );
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^s3:\/\/lab-backups\/queue is not answering \(no reply in 3 s\)/);
  expect(lines[1]).toMatch(/^github\.com\/lab\/queue \(database-backups\) is not answering \(no reply in 3 s\)/);
  expect(totalMs).toBeLessThan((TIMEOUT_SECONDS + 5) * 1000);
});

it("in a browser at 1440 and 375 px, the card says in plain words which provider is not answering, and nothing scrolls sideways", async () => {
  const browser = await chromium.launch({ executablePath: browserPath() });
  // Kept for a person to look at (Playwright's output folder, not committed).
  const shots = path.resolve("test-results", "hanging-provider");
  fs.mkdirSync(shots, { recursive: true });
  try {
    for (const width of [1440, 375]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      await context.addCookies(sessionCookies.map((c) => ({ ...c, url: app.url })));
      const page = await context.newPage();
      await page.goto(`${app.url}/admin/storage`);
      const card = page.getByTestId("cloud-backups");
      await expect.poll(() => card.count(), { timeout: (TIMEOUT_SECONDS + 10) * 1000 }).toBe(1);
      const text = (await card.innerText()).replace(/\s+/g, " ");
      expect(text).toContain("s3://lab-backups/queue is not answering");
      expect(text).toContain("github.com/lab/queue (database-backups) is not answering");
      // No provider's error codes or request details, and no repeated address on one line.
      expect(text).not.toMatch(/TimeoutError|ETIMEDOUT|abort/i);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const file = path.join(shots, `cloud-not-answering-${width}.png`);
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: file, fullPage: width === 375 });
      await card.screenshot({ path: path.join(shots, `cloud-not-answering-card-${width}.png`) });
      console.log(`screenshot: ${file}`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
});
