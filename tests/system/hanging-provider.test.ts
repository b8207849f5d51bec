// Manage Storage when the off-site providers hang: a loopback server that accepts every
// connection and never answers stands in for both S3 and GitHub's API. The page is needed in a
// disaster; it must render at once and say which provider is not answering.
import net from "node:net";

import { afterAll, beforeAll, expect, it } from "vitest";

import { createAccount } from "@/lib/auth/accounts";
import { prisma } from "@/lib/db/prisma";
import { signIn, startApp, type RunningApp } from "@/tests/support/app-server";
import { seededDatabase } from "@/tests/support/db";

const STAFF = { username: "hang-staff", password: "hang-staff-password" };
const TIMEOUT_SECONDS = 3;

let app: RunningApp;
let silent: net.Server;
const sockets = new Set<net.Socket>();
let cookie: string;

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
  const lines = [...card.matchAll(/<p class="text-sm text-slate-600">(.*?)<\/p>/g)].map((m) =>
    m[1]!.replace(/<[^>]+>/g, ""),
  );
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^s3:\/\/lab-backups\/queue: .*not answering/);
  expect(lines[1]).toMatch(/^github\.com\/lab\/queue \(database-backups\): .*not answering/);
  expect(totalMs).toBeLessThan((TIMEOUT_SECONDS + 5) * 1000);
});
