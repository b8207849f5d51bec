// Who gets in: every admin page, route handler and server action of the built app, found by
// walking app/ and the build's action manifest (a new one is covered without editing this
// file), asked by a signed-out visitor and by a signed-in researcher. Then the key, the
// cookie, cross-origin actions and path tricks.
import fs from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAccount } from "@/lib/auth/accounts";
import { enterMaintenance } from "@/lib/backup/maintenance";
import { listSafetySnapshots, writeSafetySnapshot } from "@/lib/backup/snapshot";
import { uploadsDir } from "@/lib/backup/uploads";
import { prisma } from "@/lib/db/prisma";
import { openSqlite } from "@/lib/db/sqlite";
import { signIn, startApp, type RunningApp } from "@/tests/support/app-server";
import { exportFile } from "@/tests/support/backup";
import { contentHash, seededDatabase, tableCounts } from "@/tests/support/db";
import { testKey } from "@/tests/support/keys";

const KEY = testKey("access-export");
const WRONG_KEY = "access-test-wrong-key-0b4d";
const STATUS_KEY = testKey("access-status");
const STAFF = { username: "access-staff", password: "access-staff-password" };
const RESEARCHER = { username: "access-researcher", password: "access-researcher-password" };
/** Routes for automation: no session, the backup API key instead (tested below and in tests/ops). */
const BACKUP_API = [
  "/schedule/api/backup/database",
  // Where next.config.js sends a client that accepts gzip: the same export, gzipped in transit.
  "/schedule/api/backup/database/gzip",
  "/schedule/api/backup/status",
  "/schedule/api/backup/drill",
  "/schedule/api/backup/stored",
];
/** Pages and routes anyone may reach. */
const PUBLIC = new Set(["/", "/signin", "/no-access", "/api/auth/[...nextauth]", ...BACKUP_API]);

let app: RunningApp;
let db: string;
let staffCookie: string;
let staffSetCookie: string[];
let researcherCookie: string;
let snapshotName: string;
let otherBackup: string;

interface Endpoint {
  path: string;
  kind: "page" | "route";
  methods: string[];
}

function appEndpoints(dir = "app"): Endpoint[] {
  const found: Endpoint[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...appEndpoints(full));
    const urlPath = `/${path.relative("app", dir)}`.replace(/\/$/, "") || "/";
    if (entry.name === "page.tsx") found.push({ path: urlPath, kind: "page", methods: ["GET"] });
    if (entry.name === "route.ts") {
      const methods = [
        ...fs
          .readFileSync(full, "utf8")
          .matchAll(/export (?:(?:async )?function|const) (GET|POST|PUT|PATCH|DELETE)\b/g),
      ].map((m) => m[1]!);
      found.push({ path: urlPath, kind: "route", methods });
    }
  }
  return found;
}

function serverActions(): { id: string; name: string }[] {
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { exportedName: string }>;
  };
  return Object.entries(manifest.node).map(([id, action]) => ({ id, name: action.exportedName }));
}

function callAction(id: string, args: unknown[], cookie: string, origin = app.url) {
  return fetch(`${app.url}/admin/storage`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "Next-Action": id,
      "Content-Type": "text/plain;charset=UTF-8",
      Origin: origin,
      Cookie: cookie,
      Accept: "text/x-component",
    },
    body: JSON.stringify(args),
  });
}

async function upload(file: string, cookie: string): Promise<string> {
  const res = await fetch(`${app.url}/admin/storage/upload`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: app.url, "X-File-Name": encodeURIComponent("../../escape.json") },
    body: fs.readFileSync(file),
  });
  const body = (await res.json()) as { uploadId: string | null };
  expect(body.uploadId).toBeTruthy();
  return body.uploadId!;
}

const actionId = (name: string) => serverActions().find((a) => a.name === name)!.id;
const concrete = (p: string) => p.replace("[name]", snapshotName);
/** A marker of lab data: a backup label or a seeded username. */
const leaksData = (body: string) => /calendarEditor\.|auth\.User|SQLite format|access-staff|"username"/.test(body);

beforeAll(async () => {
  otherBackup = await exportFile(seededDatabase(40, { activate: false, seed: 9 }));
  db = seededDatabase(60);
  await createAccount({ ...STAFF, staff: true });
  await createAccount({ ...RESEARCHER });
  snapshotName = (await writeSafetySnapshot()).name;
  // The server's start-up migration needs the file to itself.
  await prisma().$disconnect();
  app = await startApp(
    {
      DATABASE_URL: `file:${db}`,
      DATA_DIR: process.env.DATA_DIR!,
      BACKUP_API_KEY: KEY,
      BACKUP_STATUS_KEY: STATUS_KEY,
      BACKUP_API_MAX_FAILURES: "50",
      NEXTAUTH_URL: "http://localhost:3221",
    },
    3221,
  );
  ({ cookie: staffCookie, setCookie: staffSetCookie } = (await signIn(app.url, STAFF.username, STAFF.password))!);
  researcherCookie = (await signIn(app.url, RESEARCHER.username, RESEARCHER.password))!.cookie;
});

afterAll(async () => {
  await app?.stop();
});

describe("every admin page and route refuses visitors and researchers", () => {
  it("finds the admin area by walking app/ (so the checks below cover new pages)", () => {
    const admin = appEndpoints().filter((e) => !PUBLIC.has(e.path));
    expect(admin.map((e) => e.path)).toEqual(
      expect.arrayContaining(["/admin", "/admin/storage", "/admin/storage/upload", "/admin/storage/snapshots/[name]"]),
    );
    expect(admin.every((e) => e.path.startsWith("/admin"))).toBe(true);
  });

  for (const who of ["signed-out", "researcher"] as const) {
    it(`a ${who} visitor gets a refusal and no data from every admin page and route`, async () => {
      const cookie = who === "signed-out" ? "" : researcherCookie;
      const admin = appEndpoints().filter((e) => !PUBLIC.has(e.path));
      for (const endpoint of admin) {
        for (const method of endpoint.methods) {
          const url = `${app.url}${concrete(endpoint.path)}`;
          const res = await fetch(url, {
            method,
            redirect: "manual",
            headers: { Cookie: cookie, Origin: app.url },
            body: method === "GET" ? undefined : "{}",
          });
          const body = await res.text();
          const where = `${method} ${endpoint.path} as ${who}`;
          if (endpoint.kind === "page") {
            expect(res.status, where).toBe(307);
            expect(res.headers.get("location"), where).toMatch(
              who === "signed-out" ? /\/signin\?callbackUrl=/ : /\/no-access$/,
            );
          } else {
            expect(res.status, where).toBe(who === "signed-out" ? 401 : 403);
          }
          expect(leaksData(body), `${where} leaked: ${body.slice(0, 200)}`).toBe(false);
        }
      }
    });
  }

  it("staff do reach them (so the refusals above are about the role)", async () => {
    for (const p of ["/admin", "/admin/users", "/admin/storage/status", `/admin/storage/snapshots/${snapshotName}`]) {
      const res = await fetch(`${app.url}${p}`, { redirect: "manual", headers: { Cookie: staffCookie } });
      expect(res.status, p).toBe(200);
    }
  });
});

describe("the backup API for automation", () => {
  it("every route under /schedule/api/ takes the key, not a session: 401 without it, 403 with a wrong one", async () => {
    const routes = appEndpoints().filter((e) => e.path.startsWith("/schedule/"));
    expect(routes.map((r) => r.path).sort()).toEqual([...BACKUP_API].sort());
    for (const route of routes) {
      for (const method of route.methods) {
        for (const [authorization, status] of [
          [undefined, 401],
          [`Bearer ${WRONG_KEY}`, 403],
        ] as const) {
          const res = await fetch(`${app.url}${route.path}/`, {
            method,
            headers: { Cookie: staffCookie, ...(authorization ? { Authorization: authorization } : {}) },
            body: method === "GET" ? undefined : '{"ok":true}',
          });
          const body = await res.text();
          expect(res.status, `${method} ${route.path} with ${authorization ?? "no key"}`).toBe(status);
          expect(leaksData(body)).toBe(false);
        }
      }
    }
  });
});

describe("keys by purpose", () => {
  const call = (route: string, key: string) =>
    fetch(`${app.url}/schedule/api/backup/${route}/`, {
      method: route === "drill" || route === "stored" ? "POST" : "GET",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: route === "drill" ? '{"ok":true}' : route === "stored" ? "{}" : undefined,
    });

  it("the status key reads the status and nothing else: no export, no reports", async () => {
    // 503: nothing is off-site yet in this database; the point is that it was let in.
    const status = await call("status", STATUS_KEY);
    expect([200, 503]).toContain(status.status);
    expect(Object.keys((await status.json()) as object)).toContain("last_backup_at");
    for (const route of ["database", "drill", "stored"]) {
      const res = await call(route, STATUS_KEY);
      const body = await res.text();
      expect(res.status, route).toBe(403);
      expect(leaksData(body), route).toBe(false);
    }
    const gz = await fetch(`${app.url}/schedule/api/backup/database/?format=json.gz`, {
      headers: { Authorization: `Bearer ${STATUS_KEY}` },
    });
    expect(gz.status).toBe(403);
    expect(((await gz.json()) as { error: string }).error).toMatch(/reads the backup status only/);
  });

  it("the backup key exports, reads the status and reports", async () => {
    const exported = await call("database", KEY);
    expect(exported.status).toBe(200);
    expect(leaksData(await exported.text())).toBe(true);
    expect([200, 503]).toContain((await call("status", KEY)).status);
    expect((await call("drill", KEY)).status).toBe(201);
    // Let in, then refused for the body: {} is not a report of a stored copy.
    expect((await call("stored", KEY)).status).toBe(400);
  });
});

describe("server actions", () => {
  it("the build has the Manage Storage actions (roll back with its preview, lifting an address's lock) and the Users actions", () => {
    expect(
      serverActions()
        .map((a) => a.name)
        .sort(),
    ).toEqual([
      "addAccountAction",
      "checkSignInAsAction",
      "clearArchiveAction",
      "deleteAccountAction",
      "discardUploadAction",
      "liftAddressLockAction",
      "liftSignInLockAction",
      "previewMergeAction",
      "previewRollbackAction",
      "resetAccountPasswordAction",
      "restoreFromCloudAction",
      "restoreFromReplicaAction",
      "restoreUploadAction",
      "rollbackAction",
      "setAccountFlagsAction",
    ]);
  });

  it("every action refuses a signed-out visitor and a researcher and changes nothing", async () => {
    const uploadId = await upload(otherBackup, staffCookie);
    const before = contentHash(db);
    const snapshots = listSafetySnapshots().length;
    const args: Record<string, unknown[]> = {
      restoreUploadAction: [{ uploadId, fileName: "x.json", confirmation: "RESTORE" }],
      rollbackAction: [{ snapshot: snapshotName, confirmation: "RESTORE" }],
      previewRollbackAction: [{ snapshot: snapshotName }],
      discardUploadAction: [uploadId],
      clearArchiveAction: [{ confirmation: "CONFIRM DELETE" }],
      restoreFromCloudAction: [{ target: "s3", key: "lab/database_backup_2026-01-01_00-00-00.json.gz" }],
      checkSignInAsAction: [{ uploadId, username: "e2e-admin", password: "x" }],
      previewMergeAction: [{ uploadId }],
      restoreFromReplicaAction: [{ at: "2026-01-01T00:00:00Z" }],
      setAccountFlagsAction: [{ userId: 1, isStaff: false, isActive: false }],
      resetAccountPasswordAction: [{ userId: 1, password: "taken-over-password" }],
      deleteAccountAction: [{ userId: 1, confirmation: "DELETE" }],
      addAccountAction: [{ username: "planted-admin", staff: true }],
      liftSignInLockAction: [{ userId: 1 }],
      liftAddressLockAction: [{ address: "127.0.0.1" }],
    };
    for (const action of serverActions()) {
      for (const cookie of ["", researcherCookie]) {
        const res = await callAction(action.id, args[action.name]!, cookie);
        const body = await res.text();
        expect(body, action.name).not.toContain('"ok":true');
        expect(body, action.name).toMatch(/Please sign in|for lab staff only/);
      }
    }
    expect(contentHash(db)).toBe(before);
    expect(listSafetySnapshots()).toHaveLength(snapshots);
  });

  it("refuses path tricks in snapshot names and upload ids", async () => {
    const before = contentHash(db);
    for (const snapshot of [
      "../db.sqlite3",
      "../../etc/passwd",
      `${snapshotName}/../../db.sqlite3`,
      "safety_/../x.sqlite3",
    ]) {
      for (const [action, input] of [
        ["rollbackAction", { snapshot, confirmation: "RESTORE" }],
        ["previewRollbackAction", { snapshot }],
      ] as const) {
        const body = await (await callAction(actionId(action), [input], staffCookie)).text();
        expect(body, `${action} ${snapshot}`).toContain("That safety snapshot is no longer kept");
      }
    }
    for (const uploadId of ["../db.sqlite3", "/etc/passwd", "..%2Fdb"]) {
      const body = await (
        await callAction(
          actionId("restoreUploadAction"),
          [{ uploadId, fileName: "x", confirmation: "RESTORE" }],
          staffCookie,
        )
      ).text();
      expect(body).toContain('"ok":false');
    }
    for (const name of ["..%2Fdb.sqlite3", "..%2F..%2Fetc%2Fpasswd", "%2E%2E%2Fdb.sqlite3"]) {
      const res = await fetch(`${app.url}/admin/storage/snapshots/${name}`, { headers: { Cookie: staffCookie } });
      expect(res.status, name).toBe(404);
    }
    // The browser's file name ("../../escape.json" above) never becomes a path.
    const stored = fs.readdirSync(path.dirname(db), { recursive: true }).map(String);
    expect(stored.filter((f) => f.includes("escape"))).toEqual([]);
    expect(contentHash(db)).toBe(before);
  });

  it("refuses, through the real action, a staff restore that would lock the admin out, changing nothing", async () => {
    const uploadId = await upload(otherBackup, staffCookie);
    const before = contentHash(db);
    const input = [{ uploadId, fileName: "other.json", confirmation: "RESTORE" }];
    const refused = await (await callAction(actionId("restoreUploadAction"), input, staffCookie)).text();
    expect(refused).toContain('"ok":false');
    expect(refused).toContain("is not in this backup");
    expect(contentHash(db)).toBe(before);
  });

  it("refuses a restore whose confirmation word is not exactly RESTORE, changing nothing", async () => {
    const uploadId = await upload(otherBackup, staffCookie);
    const before = contentHash(db);
    for (const confirmation of ["restore", "RESTORE ", "", "YES"]) {
      const input = [{ uploadId, fileName: "other.json", confirmation, keepMyAccount: true }];
      const body = await (await callAction(actionId("restoreUploadAction"), input, staffCookie)).text();
      expect(body, JSON.stringify(confirmation)).toContain('"ok":false');
      expect(body).toContain("Type RESTORE to confirm");
    }
    expect(contentHash(db)).toBe(before);
  });

  it("refuses a cross-origin post from staff, then accepts the same post from our origin", async () => {
    const uploadId = await upload(otherBackup, staffCookie);
    // The backup lacks this staff account: the browser sends "Keep my account" (on by default then).
    const input = [{ uploadId, fileName: "other.json", confirmation: "RESTORE", keepMyAccount: true }];
    const before = contentHash(db);
    const crossSite = await callAction(actionId("restoreUploadAction"), input, staffCookie, "https://evil.example");
    expect(await crossSite.text()).not.toContain('"ok":true');
    expect(contentHash(db)).toBe(before);

    const sameSite = await callAction(actionId("restoreUploadAction"), input, staffCookie);
    expect(await sameSite.text()).toContain('"ok":true');
    expect(contentHash(db)).not.toBe(before);
  });
});

describe("keys and cookies", () => {
  it("the session cookie is httpOnly and SameSite, and wrong credentials get none", async () => {
    expect(await signIn(app.url, STAFF.username, "not-the-password")).toBeNull();
    const session = staffSetCookie.filter((l) => l.includes("next-auth.session-token"));
    expect(session).toHaveLength(1);
    expect(session[0]).toMatch(/;\s*HttpOnly/i);
    expect(session[0]).toMatch(/;\s*SameSite=Lax/i);
  });

  it("the API key never appears in the server's output, responses or the audit history", async () => {
    for (const key of [KEY, WRONG_KEY]) {
      const res = await fetch(`${app.url}/schedule/api/backup/database/`, {
        headers: { Authorization: `Bearer ${key}` },
      });
      const body = await res.text();
      expect(body).not.toContain(key);
      expect(JSON.stringify([...res.headers])).not.toContain(key);
    }
    const audit = openSqlite(db, { readonly: true });
    const rows = JSON.stringify(audit.prepare("SELECT * FROM backup_event").all());
    audit.close();
    expect(rows).toContain("api");
    for (const key of [KEY, WRONG_KEY]) {
      expect(rows).not.toContain(key);
      expect(app.output()).not.toContain(key);
    }
  });
});

describe("while a restore holds the maintenance lock", () => {
  it("uploads, snapshots, exports and restores wait: 503 with Retry-After, nothing stored or changed", async () => {
    const uploadId = await upload(otherBackup, staffCookie);
    const uploadsBefore = fs.readdirSync(uploadsDir()).sort();
    const before = contentHash(db);
    const lock = enterMaintenance("restore", "someone else");
    try {
      const get = (p: string) => fetch(`${app.url}${p}`, { headers: { Cookie: staffCookie } });
      const answers = [
        await fetch(`${app.url}/admin/storage/upload`, {
          method: "POST",
          headers: { Cookie: staffCookie, Origin: app.url },
          body: fs.readFileSync(otherBackup),
        }),
        await get("/admin/storage/snapshot"),
        await get("/admin/storage/export"),
        await fetch(`${app.url}/schedule/api/backup/database/`, { headers: { Authorization: `Bearer ${KEY}` } }),
      ];
      for (const res of answers) {
        expect(res.status, res.url).toBe(503);
        expect(res.headers.get("retry-after"), res.url).toBe("30");
        expect(await res.text(), res.url).toMatch(/being restored/);
      }
      const input = [{ uploadId, fileName: "other.json", confirmation: "RESTORE", keepMyAccount: true }];
      const body = await (await callAction(actionId("restoreUploadAction"), input, staffCookie)).text();
      expect(body).toContain('"ok":false');
      expect(body).toMatch(/someone else .* still running/);
    } finally {
      lock.release();
    }
    expect(fs.readdirSync(uploadsDir()).sort()).toEqual(uploadsBefore);
    expect(contentHash(db)).toBe(before);
  });
});

describe("rolling back through the action", () => {
  it("puts back the safety snapshot's rows, plus the roll back's own notices to staff", async () => {
    const snapshot = listSafetySnapshots().find((s) => s.name === snapshotName)!;
    const expected = tableCounts(snapshot.file);
    expect(tableCounts(db)).not.toEqual(expected);
    const input = [{ snapshot: snapshotName, confirmation: "RESTORE" }];
    const body = await (await callAction(actionId("rollbackAction"), input, staffCookie)).text();
    expect(body).toContain('"ok":true');
    const notified = Number(/"notified":(\d+)/.exec(body)![1]);
    expect(tableCounts(db)).toEqual({
      ...expected,
      "calendarEditor.Notification": expected["calendarEditor.Notification"]! + notified,
    });
  });
});
