// One place for the e2e server's settings, shared by the config and the specs.
import path from "node:path";

import { testKey } from "../../tests/support/keys";

const dir = path.resolve(".tmp/e2e");
const port = process.env.E2E_PORT ?? "3217";
/** The object store for the Cloud Backups card (s3rver), and a port above it for its readiness check. */
const s3Port = String(Number(port) + 2000);
const s3 = {
  BACKUP_S3_URL: "s3://e2e-backups/lab",
  BACKUP_S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
  AWS_ACCESS_KEY_ID: "S3RVER",
  AWS_SECRET_ACCESS_KEY: "S3RVER",
  AWS_REGION: "us-east-1",
};

export const E2E = {
  dir,
  port,
  baseUrl: `http://localhost:${port}`,
  databaseFile: path.join(dir, "db.sqlite3"),
  admin: { username: "e2e-admin", password: "e2e-admin-password" },
  backupApiKey: testKey("e2e-backup"),
  maxUploadBytes: 8 * 1024 * 1024,
  s3: { port: s3Port, dir: path.join(dir, "..", "e2e-s3"), bucket: "e2e-backups", env: s3 },
  serverEnv: {
    DATABASE_URL: `file:${path.join(dir, "db.sqlite3")}`,
    DATA_DIR: path.join(dir, "data"),
    PORT: port,
    NEXTAUTH_SECRET: "e2e-secret-not-for-production-0123456789",
    INITIAL_ADMIN_USERNAME: "e2e-admin",
    INITIAL_ADMIN_PASSWORD: "e2e-admin-password",
    SEED_DEMO_DATA: "1",
    BACKUP_API_KEY: testKey("e2e-backup"),
    MAX_UPLOAD_BYTES: String(8 * 1024 * 1024),
    ...s3,
  },
};
