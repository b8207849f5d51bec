// Runtime configuration, read from the environment on each call so that tests and
// CLIs can point the same code at different databases.
import path from "node:path";

export const DEFAULT_DATABASE_URL = "file:./data/dev.db";
export const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

// NEXTAUTH_SECRET signs session tokens. `npm start` supplies a random per-install secret
// locally (scripts/start.ts); `next dev` falls back to a fixed development value;
// a production server never runs without a configured one.
const DEVELOPMENT_AUTH_SECRET = "lab-queue-admin-development-secret-not-for-production";

/** NODE_ENV=production: a deployed server (stricter defaults: no demo data, no generated secrets). */
export function isProduction(): boolean {
  return process.env.NODE_ENV === "production";
}

/** NEXTAUTH_SECRET as configured, or undefined. */
export function configuredAuthSecret(): string | undefined {
  return process.env.NEXTAUTH_SECRET?.trim() || undefined;
}

export function authSecret(): string {
  const secret = configuredAuthSecret();
  if (secret) return secret;
  if (isProduction()) {
    throw new Error("NEXTAUTH_SECRET must be set in production (for example: openssl rand -base64 32).");
  }
  return DEVELOPMENT_AUTH_SECRET;
}

/** DATABASE_URL as configured: a SQLite file (`file:` URL or path) or a `postgresql://` server. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

export type DatabaseEngine = "sqlite" | "postgresql";

/** The engine a database URL names: `postgres://` and `postgresql://` are PostgreSQL, anything else a SQLite file. */
export function databaseEngine(url = databaseUrl()): DatabaseEngine {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}

/** Absolute path of the SQLite file named by DATABASE_URL (`file:` URL or plain path). */
export function databasePath(url = databaseUrl()): string {
  // Read as a path, a postgresql:// URL would name a folder that someone's mkdir could create,
  // and SQLite would then quietly open a new, empty file there.
  if (databaseEngine(url) === "postgresql") {
    throw new Error("This part of the app works on a SQLite database only; DATABASE_URL names a PostgreSQL one.");
  }
  const withoutScheme = url.startsWith("file:") ? url.slice("file:".length) : url;
  const withoutQuery = withoutScheme.split("?")[0]!;
  return path.resolve(withoutQuery);
}

/** Folder for safety snapshots, uploads and the maintenance lock: DATA_DIR, else beside the SQLite file (PostgreSQL: ./data). */
export function dataDir(): string {
  if (process.env.DATA_DIR) return path.resolve(process.env.DATA_DIR);
  return databaseEngine() === "postgresql" ? path.resolve("data") : path.dirname(databasePath());
}

export function maxUploadBytes(): number {
  const raw = process.env.MAX_UPLOAD_BYTES;
  const parsed = raw ? Number(raw) : NaN;
  return Number.isFinite(parsed) && parsed > 0 ? parsed : DEFAULT_MAX_UPLOAD_BYTES;
}

/** The database size the lab plans for (MAX_DATABASE_SIZE_MB, default 1024 MiB): warn at 80 %, critical at 95 %. */
export function maxDatabaseBytes(): number {
  const parsed = Number(process.env.MAX_DATABASE_SIZE_MB);
  return (Number.isFinite(parsed) && parsed > 0 ? parsed : 1024) * 1024 * 1024;
}

/** Exports streamed at once by the server (BACKUP_EXPORT_CONCURRENCY); later requests wait. */
export function exportConcurrency(): number {
  const parsed = Number(process.env.BACKUP_EXPORT_CONCURRENCY);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : 4;
}

/** The key automation presents to the backup API; undefined when not configured. */
export function backupApiKey(): string | undefined {
  const key = process.env.BACKUP_API_KEY?.trim();
  return key ? key : undefined;
}

/** The key an uptime monitor presents to read the off-site status (BACKUP_STATUS_KEY); it opens nothing else. */
export function backupStatusKey(): string | undefined {
  const key = process.env.BACKUP_STATUS_KEY?.trim();
  return key ? key : undefined;
}

/**
 * How many proxies in front of the server append the client's address to X-Forwarded-For
 * (TRUST_PROXY: `true` = 1, as on Render; a number for a chain). Unset, AUTH_TRUST_HOST=true
 * counts as one proxy. 0: nothing sets those headers but the client, so none is believed.
 */
export function trustedProxies(): number {
  const raw = process.env.TRUST_PROXY?.trim().toLowerCase();
  if (!raw) return ["true", "1"].includes(process.env.AUTH_TRUST_HOST?.trim().toLowerCase() ?? "") ? 1 : 0;
  if (raw === "true") return 1;
  if (raw === "false") return 0;
  const count = Number(raw);
  if (Number.isInteger(count) && count >= 0 && count <= 10) return count;
  throw new Error("TRUST_PROXY must be true, false or the number of proxies in front of the server (1 on Render).");
}

/** Sign-in throttling: failures allowed before a lock-out, per account and per client address. */
export interface SignInThrottleSettings {
  /** SIGNIN_MAX_FAILURES (default 5): failed sign-ins for one username before it is locked. */
  perAccount: number;
  /** SIGNIN_MAX_FAILURES_PER_ADDRESS (default 20): failed sign-ins from one address before it is locked. */
  perAddress: number;
}

export function signInThrottleSettings(): SignInThrottleSettings {
  const count = (raw: string | undefined, fallback: number) => {
    const parsed = Number(raw);
    return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
  };
  return {
    perAccount: count(process.env.SIGNIN_MAX_FAILURES, 5),
    perAddress: count(process.env.SIGNIN_MAX_FAILURES_PER_ADDRESS, 20),
  };
}

/** Failed bearer-key attempts per client per 10 minutes before the backup API answers 429. */
export function backupApiMaxFailures(): number {
  const parsed = Number(process.env.BACKUP_API_MAX_FAILURES);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : 5;
}

/** Hours after which the last off-site backup counts as stale (BACKUP_MAX_AGE_HOURS, default 192 = 8 days). */
export function backupMaxAgeHours(): number {
  const parsed = Number(process.env.BACKUP_MAX_AGE_HOURS);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : 192;
}

/** The export endpoint automation fetches (BACKUP_API_URL), for `backup:push --from-api`. */
export function backupApiUrl(): string | undefined {
  return process.env.BACKUP_API_URL?.trim() || undefined;
}

/** `age1…` public keys backups are encrypted to (BACKUP_ENCRYPT_TO, comma-separated); undefined when unset. */
export function backupEncryptTo(): string | undefined {
  return process.env.BACKUP_ENCRYPT_TO?.trim() || undefined;
}

/** The age private key (AGE-SECRET-KEY-1…) that opens encrypted backups (BACKUP_AGE_IDENTITY). */
export function backupAgeIdentity(): string | undefined {
  return process.env.BACKUP_AGE_IDENTITY?.trim() || undefined;
}

/** The S3-compatible off-site target (BACKUP_S3_URL=s3://bucket/prefix), or undefined when not configured. */
export interface S3Settings {
  bucket: string;
  prefix: string;
  /** BACKUP_S3_ENDPOINT for stores other than AWS (MinIO, R2, B2, …); undefined = AWS. */
  endpoint?: string;
  region: string;
  /** From AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; undefined = the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** How to reach the S3 store (endpoint, region, credentials), whatever the bucket. */
export function s3Connection(): Omit<S3Settings, "bucket" | "prefix"> {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY?.trim();
  return {
    endpoint: process.env.BACKUP_S3_ENDPOINT?.trim() || undefined,
    region: process.env.AWS_REGION?.trim() || "us-east-1",
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
  };
}

export function s3Settings(): S3Settings | undefined {
  const url = process.env.BACKUP_S3_URL?.trim();
  if (!url) return undefined;
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!match) throw new Error("BACKUP_S3_URL must look like s3://bucket or s3://bucket/prefix.");
  return { bucket: match[1]!, prefix: (match[2] ?? "").replace(/^\/+|\/+$/g, ""), ...s3Connection() };
}

/** The database-backups branch read through GitHub's REST API (GITHUB_TOKEN + GITHUB_REPO=owner/name). */
export interface GitHubSettings {
  repo: string;
  token: string;
  branch: string;
  /** GITHUB_API_URL (set by GitHub Actions; GitHub Enterprise); default https://api.github.com. */
  apiUrl: string;
}

export function githubSettings(): GitHubSettings | undefined {
  const repo = process.env.GITHUB_REPO?.trim();
  const token = process.env.GITHUB_TOKEN?.trim();
  if (!repo || !token) return undefined;
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new Error("GITHUB_REPO must look like owner/name.");
  return {
    repo,
    token,
    branch: process.env.BACKUP_BRANCH?.trim() || "database-backups",
    apiUrl: (process.env.GITHUB_API_URL?.trim() || "https://api.github.com").replace(/\/+$/, ""),
  };
}

function positiveInteger(raw: string | undefined, fallback: number): number {
  const parsed = Number(raw);
  return Number.isInteger(parsed) && parsed >= 0 ? parsed : fallback;
}

/** How many daily and Sunday backups `backup:push` keeps on the S3 target. */
export function pushRetention(): { daily: number; weekly: number } {
  return {
    daily: positiveInteger(process.env.BACKUP_KEEP_DAILY, 14),
    weekly: positiveInteger(process.env.BACKUP_KEEP_WEEKLY, 8),
  };
}

/** BACKUP_PUSH_EVERY (`6h`, `24h`, `30m`, `45s`) in milliseconds; undefined = no in-app schedule. */
export function pushEveryMs(): number | undefined {
  const raw = process.env.BACKUP_PUSH_EVERY?.trim();
  if (!raw) return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(raw);
  if (!match) throw new Error("BACKUP_PUSH_EVERY must look like 6h, 24h, 30m or 1d.");
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "s" | "m" | "h" | "d"];
  return Math.max(1000, Number(match[1]) * unit);
}

/** What `npm start` is told by the environment (scripts/start.ts). */
export interface StartSettings {
  port: string;
  /** The public address sign-in redirects use: NEXTAUTH_URL, else Render's, else localhost. */
  publicUrl: string;
  /** Load demo data into an empty database (SEED_DEMO_DATA; on by default except in production). */
  seedDemoData: boolean;
  /** The staff account made for an empty database; no password = generate one (not in production). */
  initialAdmin: { username: string; password?: string };
}

export function startSettings(): StartSettings {
  const port = process.env.PORT ?? "3000";
  return {
    port,
    publicUrl: process.env.NEXTAUTH_URL ?? process.env.RENDER_EXTERNAL_URL ?? `http://localhost:${port}`,
    seedDemoData: (process.env.SEED_DEMO_DATA ?? (isProduction() ? "0" : "1")) === "1",
    initialAdmin: {
      username: process.env.INITIAL_ADMIN_USERNAME ?? "admin",
      password: process.env.INITIAL_ADMIN_PASSWORD,
    },
  };
}

/** Who runs a CLI, as the History names them: the shell's user. */
export function shellUser(): string {
  return process.env.USER?.trim() || "cli";
}

/** USER_PASSWORD for `npm run user:create`; undefined = ask for it. */
export function newAccountPassword(): string | undefined {
  return process.env.USER_PASSWORD;
}

/** This process's environment with `overrides`, for a child process (next start, prisma migrate). */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

export const APP_NAME = "lab-queue-admin";
export const APP_VERSION = "0.1.0";

/** Where Litestream streams every commit (BACKUP_REPLICA_URL), and how. */
export type ReplicaDestination =
  | { kind: "file"; path: string }
  | { kind: "s3"; bucket: string; prefix: string; connection: ReturnType<typeof s3Connection> };

export interface ReplicaSettings {
  destination: ReplicaDestination;
  /** BACKUP_REPLICA_RETENTION as a Go duration Litestream reads (`72h`): how far back a restore can go. */
  retention: string;
  /** BACKUP_REPLICA_MAX_LAG in milliseconds: unshipped changes older than this make the status route answer 503. */
  maxLagMs: number;
  /** BACKUP_ENCRYPT_TO's recipients: the replica is encrypted to the same keys as the backups. */
  ageRecipients: string[];
  /** BACKUP_AGE_IDENTITY, needed to restore an encrypted replica. */
  ageIdentity?: string;
}

const DURATION_UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `45s`, `30m`, `72h`, `3d` in milliseconds; undefined when it is not one. */
function durationMs(raw: string): number | undefined {
  const match = /^(\d+)\s*(s|m|h|d)$/.exec(raw.trim());
  return match ? Number(match[1]) * DURATION_UNIT_MS[match[2] as keyof typeof DURATION_UNIT_MS] : undefined;
}

function replicaDestination(url: string): ReplicaDestination {
  if (url.startsWith("file://")) {
    const dir = decodeURIComponent(url.slice("file://".length));
    if (!path.isAbsolute(dir)) throw new Error("BACKUP_REPLICA_URL must look like file:///absolute/path.");
    return { kind: "file", path: path.resolve(dir) };
  }
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!match) throw new Error("BACKUP_REPLICA_URL must look like s3://bucket/path or file:///absolute/path.");
  const prefix = (match[2] ?? "").replace(/^\/+|\/+$/g, "");
  return { kind: "s3", bucket: match[1]!, prefix, connection: s3Connection() };
}

/** Continuous replication with Litestream; undefined when BACKUP_REPLICA_URL is not set. */
export function replicaSettings(): ReplicaSettings | undefined {
  const url = process.env.BACKUP_REPLICA_URL?.trim();
  if (!url) return undefined;
  const retentionMs = durationMs(process.env.BACKUP_REPLICA_RETENTION?.trim() || "72h");
  if (!retentionMs || retentionMs < 3_600_000) {
    throw new Error("BACKUP_REPLICA_RETENTION must be a duration of at least an hour, like 72h or 7d.");
  }
  const maxLagMs = durationMs(process.env.BACKUP_REPLICA_MAX_LAG?.trim() || "60s");
  if (!maxLagMs) throw new Error("BACKUP_REPLICA_MAX_LAG must be a duration like 60s or 5m.");
  const recipients = backupEncryptTo();
  return {
    destination: replicaDestination(url),
    retention: `${retentionMs / 3_600_000}h`,
    maxLagMs,
    ageRecipients: recipients ? recipients.split(/[\s,]+/).filter(Boolean) : [],
    ageIdentity: backupAgeIdentity(),
  };
}
