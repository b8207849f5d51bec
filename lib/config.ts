// The app's configuration: one zod schema over the environment, checked once when a process
// starts (`npm start` and each CLI through runCli, the server in instrumentation.ts). A bad
// value stops the process with a message naming the variable and what it accepts; nothing
// falls back to a default in silence. The rest of the code reads the typed, frozen result
// through config() or the accessors below. This is the one file that reads process.env.
import path from "node:path";

import { z } from "zod";

const DEFAULT_DATABASE_URL = "file:./data/dev.db";
const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

// NEXTAUTH_SECRET signs session tokens. `npm start` supplies a random per-install secret
// locally (scripts/start.ts); `next dev` falls back to a fixed development value;
// a production server never runs without a configured one.
const DEVELOPMENT_AUTH_SECRET = "lab-queue-admin-development-secret-not-for-production";

// ---- What each variable accepts (the words are the error message) ---------------------------

type Text = z.ZodType<string | undefined, string | undefined>;

/** A value the schema turns into T, or refuses with `accepts` as the whole explanation. */
function parsed<T>(accepts: string, parse: (raw: string) => T | undefined) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | undefined => {
      if (raw === undefined) return undefined;
      const value = parse(raw);
      if (value === undefined) ctx.addIssue({ code: "custom", message: accepts });
      return value;
    });
}

function numberFrom(raw: string, { integer = false, min = 1 } = {}): number | undefined {
  if (!/^\d+(\.\d+)?$/.test(raw)) return undefined;
  const value = Number(raw);
  if (integer && !Number.isInteger(value)) return undefined;
  return value >= min ? value : undefined;
}

function urlFrom(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:" ? raw : undefined;
  } catch {
    return undefined;
  }
}

const DURATION_UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function durationMs(raw: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/.exec(raw);
  if (!match) return undefined;
  return Math.max(1000, Number(match[1]) * DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS]);
}

/** `45s`, `30m`, `72h`, `3d`: whole units only, as Litestream reads them. */
function wholeDurationMs(raw: string): number | undefined {
  const match = /^(\d+)\s*(s|m|h|d)$/.exec(raw);
  return match ? Number(match[1]) * DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS] : undefined;
}

function fileUrlPath(url: string): string {
  return decodeURIComponent(url.slice("file://".length));
}

const AGE_RECIPIENT = /^age1[0-9a-z]{58}$/;
const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

const text: Text = z.string().optional();

/**
 * Shortest bearer key accepted: 32 characters of a random generator (`openssl rand -base64 32`
 * gives 44) are beyond guessing even without the failure limiter; a word or a short phrase is not.
 */
export const MIN_KEY_LENGTH = 32;
// What an `Authorization: Bearer` header can carry (RFC 6750's token68): a key with any other
// character could never be presented.
const BEARER_KEY = /^[A-Za-z0-9\-._~+/]+=*$/;

const bearerKey = parsed(
  `at least ${MIN_KEY_LENGTH} characters of letters, digits and - . _ ~ + / (for example: openssl rand -base64 32)`,
  (raw) => (raw.length >= MIN_KEY_LENGTH && BEARER_KEY.test(raw) ? raw : undefined),
);

/** Every variable the app reads, by name. Blank values count as unset. */
const ENV_SCHEMA = z
  .object({
    NODE_ENV: text,
    NEXTAUTH_SECRET: text,
    DATABASE_URL: text,
    DATA_DIR: text,
    MAX_UPLOAD_BYTES: parsed("a whole number of bytes, at least 1 (for example 536870912 for 512 MiB)", (raw) =>
      numberFrom(raw, { integer: true }),
    ),
    MAX_DATABASE_SIZE_MB: parsed("a number of megabytes above 0 (for example 1024)", (raw) =>
      numberFrom(raw, { min: 0.001 }),
    ),
    BACKUP_EXPORT_CONCURRENCY: parsed("a whole number of exports, at least 1 (for example 4)", (raw) =>
      numberFrom(raw, { integer: true }),
    ),
    BACKUP_API_KEY: bearerKey,
    BACKUP_STATUS_KEY: bearerKey,
    TRUST_PROXY: parsed("true, false or the number of proxies in front of the server, 0 to 10 (1 on Render)", (raw) => {
      const value = raw.toLowerCase();
      if (value === "true") return 1;
      if (value === "false") return 0;
      const count = numberFrom(raw, { integer: true, min: 0 });
      return count !== undefined && count <= 10 ? count : undefined;
    }),
    AUTH_TRUST_HOST: text,
    SIGNIN_MAX_FAILURES: parsed("a whole number of failed sign-ins, at least 1 (for example 5)", (raw) =>
      numberFrom(raw, { integer: true }),
    ),
    SIGNIN_MAX_FAILURES_PER_ADDRESS: parsed("a whole number of failed sign-ins, at least 1 (for example 20)", (raw) =>
      numberFrom(raw, { integer: true }),
    ),
    BACKUP_API_MAX_FAILURES: parsed("a whole number of attempts, at least 1 (for example 5)", (raw) =>
      numberFrom(raw, { integer: true }),
    ),
    BACKUP_MAX_AGE_HOURS: parsed("a number of hours above 0 (for example 192 for 8 days)", (raw) =>
      numberFrom(raw, { min: 0.001 }),
    ),
    BACKUP_API_URL: parsed("an http:// or https:// address of the export endpoint", urlFrom),
    BACKUP_ENCRYPT_TO: parsed("age public keys (age1…), separated by commas or spaces", (raw) => {
      const keys = raw.split(/[\s,]+/).filter(Boolean);
      return keys.length > 0 && keys.every((k) => AGE_RECIPIENT.test(k)) ? raw : undefined;
    }),
    BACKUP_AGE_IDENTITY: parsed("an age private key (AGE-SECRET-KEY-1…)", (raw) =>
      /^AGE-SECRET-KEY-1[0-9A-Z]+$/.test(raw) ? raw : undefined,
    ),
    BACKUP_S3_URL: parsed("s3://bucket or s3://bucket/prefix (a bucket name in lower case)", (raw) =>
      S3_URL.test(raw) ? raw : undefined,
    ),
    BACKUP_S3_ENDPOINT: parsed("the http:// or https:// address of an S3-compatible store", urlFrom),
    AWS_REGION: text,
    AWS_ACCESS_KEY_ID: text,
    AWS_SECRET_ACCESS_KEY: text,
    GITHUB_REPO: parsed("owner/name of a GitHub repository", (raw) =>
      /^[\w.-]+\/[\w.-]+$/.test(raw) ? raw : undefined,
    ),
    GITHUB_TOKEN: text,
    GITHUB_API_URL: parsed("the http:// or https:// address of GitHub's API", urlFrom),
    BACKUP_BRANCH: text,
    BACKUP_PROVIDER_TIMEOUT_SECONDS: parsed("a number of seconds above 0 (for example 15)", (raw) =>
      numberFrom(raw, { min: 0.001 }),
    ),
    BACKUP_KEEP_DAILY: parsed("a whole number of backups, 0 or more (for example 14)", (raw) =>
      numberFrom(raw, { integer: true, min: 0 }),
    ),
    BACKUP_KEEP_WEEKLY: parsed("a whole number of backups, 0 or more (for example 8)", (raw) =>
      numberFrom(raw, { integer: true, min: 0 }),
    ),
    BACKUP_REPLICA_URL: parsed("s3://bucket/path or file:///absolute/path", (raw) =>
      S3_URL.test(raw) || (raw.startsWith("file://") && path.isAbsolute(fileUrlPath(raw))) ? raw : undefined,
    ),
    BACKUP_REPLICA_RETENTION: parsed("a whole number and a unit, at least an hour (for example 72h or 7d)", (raw) => {
      const ms = wholeDurationMs(raw);
      return ms !== undefined && ms >= 3_600_000 ? ms : undefined;
    }),
    BACKUP_REPLICA_MAX_LAG: parsed("a whole number and a unit: s, m, h or d (for example 60s or 5m)", wholeDurationMs),
    BACKUP_PUSH_EVERY: parsed("a number and a unit: s, m, h or d (for example 6h, 24h, 30m or 1d)", durationMs),
    PORT: parsed("a port number from 1 to 65535", (raw) => {
      const port = numberFrom(raw, { integer: true });
      return port !== undefined && port <= 65535 ? raw : undefined;
    }),
    NEXTAUTH_URL: parsed("the app's public http:// or https:// address", urlFrom),
    RENDER_EXTERNAL_URL: parsed("an http:// or https:// address", urlFrom),
    SEED_DEMO_DATA: parsed("1 (load demo data into an empty database) or 0", (raw) =>
      raw === "1" ? true : raw === "0" ? false : undefined,
    ),
    INITIAL_ADMIN_USERNAME: text,
    INITIAL_ADMIN_PASSWORD: text,
    USER: text,
    USER_PASSWORD: text,
    CHROME_PATH: text,
  })
  .superRefine((env, ctx) => {
    // One key for both would hand every uptime monitor the database: the split would mean nothing.
    if (env.BACKUP_STATUS_KEY !== undefined && env.BACKUP_STATUS_KEY === env.BACKUP_API_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["BACKUP_STATUS_KEY"],
        message: "a key of its own, different from BACKUP_API_KEY (the status key must never open the database)",
      });
    }
  });

type Env = z.infer<typeof ENV_SCHEMA>;
/** Variables by name, as process.env holds them. */
export type Environment = Record<string, string | undefined>;
export type EnvironmentName = keyof Env;

// ---- The configuration the code reads --------------------------------------------------------

/** The S3-compatible off-site target (BACKUP_S3_URL=s3://bucket/prefix). */
export interface S3Settings {
  bucket: string;
  prefix: string;
  /** BACKUP_S3_ENDPOINT for stores other than AWS (MinIO, R2, B2, …); undefined = AWS. */
  endpoint?: string;
  region: string;
  /** From AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; undefined = the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The database-backups branch read through GitHub's REST API (GITHUB_TOKEN + GITHUB_REPO=owner/name). */
export interface GitHubSettings {
  repo: string;
  token: string;
  branch: string;
  /** GITHUB_API_URL (set by GitHub Actions; GitHub Enterprise); default https://api.github.com. */
  apiUrl: string;
}

/** Where Litestream streams every commit (BACKUP_REPLICA_URL), and how. */
export type ReplicaDestination =
  | { kind: "file"; path: string }
  | { kind: "s3"; bucket: string; prefix: string; connection: Omit<S3Settings, "bucket" | "prefix"> };

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

/** Sign-in throttling: failures allowed before a lock-out, per account and per client address. */
export interface SignInThrottleSettings {
  /** SIGNIN_MAX_FAILURES (default 5): failed sign-ins for one username before it is locked. */
  perAccount: number;
  /** SIGNIN_MAX_FAILURES_PER_ADDRESS (default 20): failed sign-ins from one address before it is locked. */
  perAddress: number;
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

export interface Config {
  /** NODE_ENV=production: a deployed server (stricter defaults: no demo data, no generated secrets). */
  production: boolean;
  /** NEXTAUTH_SECRET as configured, or undefined. */
  configuredAuthSecret?: string;
  /** DATABASE_URL as configured: a SQLite file (`file:` URL or path) or a `postgresql://` server. */
  databaseUrl: string;
  /** Absolute path of the SQLite file named by DATABASE_URL; undefined on PostgreSQL. */
  databasePath?: string;
  /** Folder for safety snapshots, uploads and the maintenance lock: DATA_DIR, else beside the SQLite file (PostgreSQL: ./data). */
  dataDir: string;
  maxUploadBytes: number;
  /** The database size the lab plans for (MAX_DATABASE_SIZE_MB, default 1024 MiB), in bytes. */
  maxDatabaseBytes: number;
  /** Exports streamed at once by the server (BACKUP_EXPORT_CONCURRENCY); later requests wait. */
  exportConcurrency: number;
  backupApi: {
    /** The key automation presents to the backup API; undefined when not configured. */
    key?: string;
    /** The key an uptime monitor presents to read the off-site status (BACKUP_STATUS_KEY); it opens nothing else. */
    statusKey?: string;
    /** Failed bearer-key attempts per client per 10 minutes before the API answers 429. */
    maxFailures: number;
    /** The export endpoint automation fetches (BACKUP_API_URL), for `backup:push --from-api`. */
    url?: string;
  };
  /**
   * How many proxies in front of the server append the client's address to X-Forwarded-For
   * (TRUST_PROXY: `true` = 1, as on Render; a number for a chain). Unset, AUTH_TRUST_HOST=true
   * counts as one proxy. 0: nothing sets those headers but the client, so none is believed.
   */
  trustedProxies: number;
  signInThrottle: SignInThrottleSettings;
  /** Hours after which the last off-site backup counts as stale (default 192 = 8 days). */
  backupMaxAgeHours: number;
  /** `age1…` public keys backups are encrypted to (BACKUP_ENCRYPT_TO), as written. */
  encryptTo?: string;
  /** The age private key (AGE-SECRET-KEY-1…) that opens encrypted backups (BACKUP_AGE_IDENTITY). */
  ageIdentity?: string;
  /** How to reach the S3 store (endpoint, region, credentials), whatever the bucket. */
  s3Connection: Omit<S3Settings, "bucket" | "prefix">;
  s3?: S3Settings;
  github?: GitHubSettings;
  /** How long S3 or GitHub gets to answer one request before it counts as not answering. */
  providerTimeoutMs: number;
  /** How many daily and Sunday backups `backup:push` keeps on the S3 target. */
  pushRetention: { daily: number; weekly: number };
  /** BACKUP_PUSH_EVERY in milliseconds; undefined = no in-app schedule. */
  pushEveryMs?: number;
  /** Continuous replication with Litestream; undefined when BACKUP_REPLICA_URL is not set, and on PostgreSQL. */
  replica?: ReplicaSettings;
  /**
   * BACKUP_REPLICA_URL when DATABASE_URL is PostgreSQL: Litestream streams a SQLite file, so
   * the setting does nothing there (`replica` is then undefined) and `npm start` says so.
   */
  replicaNotApplied?: ReplicaSettings;
  start: StartSettings;
  /** Who runs a CLI, as the History names them: the shell's user. */
  shellUser: string;
  /** USER_PASSWORD for `npm run user:create`; undefined = ask for it. */
  newAccountPassword?: string;
  /** The Chromium the browser tests drive (CHROME_PATH); never downloaded. */
  browserPath: string;
}

/** A variable that is set to something the app cannot use. */
export class ConfigError extends Error {
  constructor(readonly problems: { name: string; accepts: string }[]) {
    super(
      [
        problems.length === 1
          ? "A setting in the environment is not valid:"
          : "Settings in the environment are not valid:",
        ...problems.map((p) => `  ${p.name} must be ${p.accepts}.`),
      ].join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** The known variables of `env`, trimmed, blank ones left out. */
function known(env: Environment): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of Object.keys(ENV_SCHEMA.shape)) {
    const value = env[name]?.trim();
    if (value) values[name] = value;
  }
  return values;
}

function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

function databasePathOf(url: string): string {
  // Read as a path, a postgresql:// URL would name a folder that someone's mkdir could create,
  // and SQLite would then quietly open a new, empty file there.
  if (isPostgresUrl(url)) {
    throw new Error("This part of the app works on a SQLite database only; DATABASE_URL names a PostgreSQL one.");
  }
  const withoutScheme = url.startsWith("file:") ? url.slice("file:".length) : url;
  return path.resolve(withoutScheme.split("?")[0]!);
}

function s3From(env: Env, connection: Config["s3Connection"]): S3Settings | undefined {
  if (!env.BACKUP_S3_URL) return undefined;
  const match = S3_URL.exec(env.BACKUP_S3_URL)!;
  return { bucket: match[1]!, prefix: (match[2] ?? "").replace(/^\/+|\/+$/g, ""), ...connection };
}

function githubFrom(env: Env): GitHubSettings | undefined {
  if (!env.GITHUB_REPO || !env.GITHUB_TOKEN) return undefined;
  return {
    repo: env.GITHUB_REPO,
    token: env.GITHUB_TOKEN,
    branch: env.BACKUP_BRANCH ?? "database-backups",
    apiUrl: (env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/+$/, ""),
  };
}

function replicaFrom(env: Env, connection: Config["s3Connection"]): ReplicaSettings | undefined {
  const url = env.BACKUP_REPLICA_URL;
  if (!url) return undefined;
  const s3 = S3_URL.exec(url);
  const destination: ReplicaDestination = s3
    ? { kind: "s3", bucket: s3[1]!, prefix: (s3[2] ?? "").replace(/^\/+|\/+$/g, ""), connection }
    : { kind: "file", path: path.resolve(fileUrlPath(url)) };
  return {
    destination,
    retention: `${(env.BACKUP_REPLICA_RETENTION ?? 72 * 3_600_000) / 3_600_000}h`,
    maxLagMs: env.BACKUP_REPLICA_MAX_LAG ?? 60_000,
    ageRecipients: env.BACKUP_ENCRYPT_TO?.split(/[\s,]+/).filter(Boolean) ?? [],
    ageIdentity: env.BACKUP_AGE_IDENTITY,
  };
}

function configFrom(env: Env): Config {
  const production = env.NODE_ENV === "production";
  const databaseUrl = env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const databasePath = isPostgresUrl(databaseUrl) ? undefined : databasePathOf(databaseUrl);
  const port = env.PORT ?? "3000";
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  const s3Connection = {
    endpoint: env.BACKUP_S3_ENDPOINT,
    region: env.AWS_REGION ?? "us-east-1",
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
  };
  return {
    production,
    configuredAuthSecret: env.NEXTAUTH_SECRET,
    databaseUrl,
    databasePath,
    dataDir: path.resolve(env.DATA_DIR ?? (databasePath ? path.dirname(databasePath) : "data")),
    maxUploadBytes: env.MAX_UPLOAD_BYTES ?? DEFAULT_MAX_UPLOAD_BYTES,
    maxDatabaseBytes: (env.MAX_DATABASE_SIZE_MB ?? 1024) * 1024 * 1024,
    exportConcurrency: env.BACKUP_EXPORT_CONCURRENCY ?? 4,
    backupApi: {
      key: env.BACKUP_API_KEY,
      statusKey: env.BACKUP_STATUS_KEY,
      maxFailures: env.BACKUP_API_MAX_FAILURES ?? 5,
      url: env.BACKUP_API_URL,
    },
    trustedProxies: env.TRUST_PROXY ?? (["true", "1"].includes(env.AUTH_TRUST_HOST?.toLowerCase() ?? "") ? 1 : 0),
    signInThrottle: {
      perAccount: env.SIGNIN_MAX_FAILURES ?? 5,
      perAddress: env.SIGNIN_MAX_FAILURES_PER_ADDRESS ?? 20,
    },
    backupMaxAgeHours: env.BACKUP_MAX_AGE_HOURS ?? 192,
    encryptTo: env.BACKUP_ENCRYPT_TO,
    ageIdentity: env.BACKUP_AGE_IDENTITY,
    s3Connection,
    s3: s3From(env, s3Connection),
    github: githubFrom(env),
    providerTimeoutMs: (env.BACKUP_PROVIDER_TIMEOUT_SECONDS ?? 15) * 1000,
    pushRetention: { daily: env.BACKUP_KEEP_DAILY ?? 14, weekly: env.BACKUP_KEEP_WEEKLY ?? 8 },
    pushEveryMs: env.BACKUP_PUSH_EVERY,
    replica: databasePath ? replicaFrom(env, s3Connection) : undefined,
    replicaNotApplied: databasePath ? undefined : replicaFrom(env, s3Connection),
    start: {
      port,
      publicUrl: env.NEXTAUTH_URL ?? env.RENDER_EXTERNAL_URL ?? `http://localhost:${port}`,
      seedDemoData: env.SEED_DEMO_DATA ?? !production,
      initialAdmin: { username: env.INITIAL_ADMIN_USERNAME ?? "admin", password: env.INITIAL_ADMIN_PASSWORD },
    },
    shellUser: env.USER ?? "cli",
    newAccountPassword: env.USER_PASSWORD,
    browserPath: env.CHROME_PATH ?? "/usr/bin/chromium",
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Checks `env` against the schema; throws ConfigError naming every variable it cannot use. */
export function parseConfig(env: Environment): Config {
  const result = ENV_SCHEMA.safeParse(known(env));
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => ({ name: String(i.path[0]), accepts: i.message })));
  }
  return deepFreeze(configFrom(result.data));
}

// Module state, not globalThis: each bundle of the built server reads the same environment.
let current: Config | undefined;

/**
 * Checks the environment and makes it the configuration this process reads. Called once at
 * start; tests call it again after pointing the environment at another database
 * (tests/support/env.ts), and each call checks as strictly as the first.
 */
export function loadConfig(env: Environment = process.env): Config {
  current = parseConfig(env);
  loadedFrom = env;
  return current;
}

let loadedFrom: Environment | undefined;

/**
 * Points this process at another database until the returned function is called (npm run
 * db:move restores into its target with the ordinary restore). The data folder stays the one
 * configured: the maintenance lock is the running app's, so the app cannot restore meanwhile.
 */
export function pointAtDatabase(url: string): () => void {
  const previous = config();
  current = parseConfig({ ...(loadedFrom ?? process.env), DATABASE_URL: url, DATA_DIR: previous.dataDir });
  return () => {
    current = previous;
  };
}

/** The configuration checked at start (loaded now if this bundle has not read it yet). */
export function config(): Config {
  return current ?? loadConfig();
}

// ---- Accessors, for the code that wants one value ---------------------------------------------

export const isProduction = (): boolean => config().production;
export const configuredAuthSecret = (): string | undefined => config().configuredAuthSecret;

export function authSecret(): string {
  const secret = configuredAuthSecret();
  if (secret) return secret;
  if (isProduction()) {
    throw new Error("NEXTAUTH_SECRET must be set in production (for example: openssl rand -base64 32).");
  }
  return DEVELOPMENT_AUTH_SECRET;
}

export const databaseUrl = (): string => config().databaseUrl;

export type DatabaseEngine = "sqlite" | "postgresql";

/** The engine a database URL names: `postgres://` and `postgresql://` are PostgreSQL, anything else a SQLite file. */
export function databaseEngine(url = databaseUrl()): DatabaseEngine {
  return isPostgresUrl(url) ? "postgresql" : "sqlite";
}

/** Absolute path of the SQLite file named by DATABASE_URL, or by `url` (a `file:` URL or plain path). */
export function databasePath(url?: string): string {
  return databasePathOf(url ?? databaseUrl());
}

export const dataDir = (): string => config().dataDir;
export const maxUploadBytes = (): number => config().maxUploadBytes;
export const maxDatabaseBytes = (): number => config().maxDatabaseBytes;
export const exportConcurrency = (): number => config().exportConcurrency;
export const backupApiKey = (): string | undefined => config().backupApi.key;
export const backupStatusKey = (): string | undefined => config().backupApi.statusKey;
export const backupApiMaxFailures = (): number => config().backupApi.maxFailures;
export const trustedProxies = (): number => config().trustedProxies;
export const signInThrottleSettings = (): SignInThrottleSettings => config().signInThrottle;
export const backupApiUrl = (): string | undefined => config().backupApi.url;
export const backupMaxAgeHours = (): number => config().backupMaxAgeHours;
export const backupEncryptTo = (): string | undefined => config().encryptTo;
export const backupAgeIdentity = (): string | undefined => config().ageIdentity;
export const s3Connection = (): Config["s3Connection"] => config().s3Connection;
export const s3Settings = (): S3Settings | undefined => config().s3;
export const githubSettings = (): GitHubSettings | undefined => config().github;
export const providerTimeoutMs = (): number => config().providerTimeoutMs;
export const pushRetention = (): Config["pushRetention"] => config().pushRetention;
export const pushEveryMs = (): number | undefined => config().pushEveryMs;
export const replicaSettings = (): ReplicaSettings | undefined => config().replica;
export const replicaNotApplied = (): ReplicaSettings | undefined => config().replicaNotApplied;
export const startSettings = (): StartSettings => config().start;
export const shellUser = (): string => config().shellUser;
export const newAccountPassword = (): string | undefined => config().newAccountPassword;
export const browserPath = (): string => config().browserPath;

/** What the Prisma CLI's config files put in DATABASE_URL when it names another engine. */
const PRISMA_PLACEHOLDER_URL: Record<DatabaseEngine, string> = {
  postgresql: "postgresql://localhost/not-configured",
  sqlite: DEFAULT_DATABASE_URL,
};

/**
 * The database URL for the Prisma CLI's config files (prisma.config.ts, prisma/postgres/),
 * which Prisma loads before anything of ours starts: DATABASE_URL or the default, and with
 * `engine` a placeholder of that engine when it names another (`generate` validates the
 * schema's URL but never connects). Written back to DATABASE_URL, which the schema's
 * datasource reads with env(). Only this variable is read: `npm install` generates the
 * clients whatever else the environment holds (the rest is checked when the app starts).
 */
export function prismaCliDatabaseUrl(engine?: DatabaseEngine): string {
  let url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (engine && databaseEngine(url) !== engine) url = PRISMA_PLACEHOLDER_URL[engine];
  process.env.DATABASE_URL = url;
  return url;
}

/** This process's environment with `overrides`, for a child process (next start, prisma migrate). */
export function childEnvironment(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/**
 * What a third-party tool's child process inherits (Litestream): never the app's secrets
 * (NEXTAUTH_SECRET, BACKUP_API_KEY, GITHUB_TOKEN…). PATH, HOME (~/.aws), TZ, Go's TLS and
 * proxy variables, and the LITESTREAM_* / AWS_* ones the S3 client reads when the app does not
 * pass a key pair itself (AWS_PROFILE, AWS_CA_BUNDLE, a role's web identity token…).
 */
const TOOL_VARIABLES = new Set([
  "PATH",
  "HOME",
  "TZ",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
]);
const TOOL_PREFIXES = ["LITESTREAM_", "AWS_"];

export function toolEnvironment(overrides: Record<string, string>, env: Environment = process.env): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(
    ([name, value]) =>
      value !== undefined &&
      (TOOL_VARIABLES.has(name.toUpperCase()) || TOOL_PREFIXES.some((prefix) => name.startsWith(prefix))),
  );
  // No NODE_ENV, which Next's typing of ProcessEnv requires: the tool has no use for it.
  return { ...Object.fromEntries(kept), ...overrides } as unknown as NodeJS.ProcessEnv;
}

export const APP_NAME = "lab-queue-admin";
export const APP_VERSION = "0.1.0";
