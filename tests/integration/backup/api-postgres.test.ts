// The backup API on a PostgreSQL database: automation gets the same whole, verifiable export
// (plain and gzipped) as from SQLite, and the History records it.
import { gunzipSync } from "node:zlib";

import { afterAll, beforeAll, expect, it } from "vitest";

import { GET as databaseRoute } from "@/app/schedule/api/backup/database/route";
import { verifyBackupFile } from "@/lib/backup/verify/verify";
import { prisma } from "@/lib/db/prisma";
import { SOCKET_ADDRESS_HEADER } from "@/lib/http/rate-limit";
import { snapshotResponse } from "@/lib/http/snapshot";
import { exportText, writeTemp } from "@/tests/support/backup";
import { seededDatabase, tempDir } from "@/tests/support/db";
import { setEnv } from "@/tests/support/env";
import { testKey } from "@/tests/support/keys";
import { describeOnPostgres, freshPostgresDatabase } from "@/tests/support/postgres";
import { copySqliteToPostgres } from "@/tests/support/postgres-copy";
import { asUnderNpmStart } from "@/tests/support/socket-address";

const KEY = testKey("backup-api-postgres");
const URL = "http://localhost/schedule/api/backup/database/";
const savedUrl = process.env.DATABASE_URL;

const call = (query = "", client = "10.0.9.1") =>
  databaseRoute(
    new Request(`${URL}${query}`, { headers: { [SOCKET_ADDRESS_HEADER]: client, authorization: `Bearer ${KEY}` } }),
  );

/** The document but its export time. */
const body = (text: string) => text.replace(/^\{"export_date":"[^"]*"/, "");

asUnderNpmStart();

describeOnPostgres("the backup API on PostgreSQL", () => {
  let sqliteFile: string;
  beforeAll(async () => {
    sqliteFile = seededDatabase(150, { activate: false });
    const url = await freshPostgresDatabase();
    await copySqliteToPostgres(sqliteFile, url);
    setEnv({ BACKUP_API_KEY: KEY, DATA_DIR: tempDir("labq-pg-data-") });
  });
  afterAll(async () => {
    await prisma().$disconnect();
    setEnv({ DATABASE_URL: savedUrl, BACKUP_API_KEY: undefined });
  });

  it("serves the export, whole and verifiable, the same document as SQLite's of the same data", async () => {
    const res = await call();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=database_backup_.*\.json$/);
    const text = await res.text();
    const report = await verifyBackupFile(writeTemp(text));
    expect(report.ok).toBe(true);
    expect(report.counts["calendarEditor.QueueEntry"]).toBe(150);
    expect(body(text)).toBe(body(await exportText(sqliteFile)));
    await expect
      .poll(() => prisma().backupEvent.findFirst({ where: { kind: "export" }, orderBy: { id: "desc" } }))
      .toMatchObject({ source: "api", result: "ok" });
  });

  it("serves it gzipped with ?format=json.gz", async () => {
    const res = await call("?format=json.gz", "10.0.9.2");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/gzip");
    const text = gunzipSync(Buffer.from(await res.arrayBuffer())).toString("utf8");
    expect(body(text)).toBe(body(await exportText(sqliteFile)));
  });

  it("refuses a SQLite snapshot with a plain reason, and makes none", async () => {
    const res = await snapshotResponse({ source: "ui", actor: "tester" });
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatch(/SQLite snapshots apply to a SQLite database.*JSON export/);
  });
});
