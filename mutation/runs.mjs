// Every mutation run in one table: what each mutates, against which tests, and where its report
// goes. `npm run test:mutation -- <run>` picks one (mutation/stryker.config.mjs); each keeps its
// own incremental file, so runs of different parts can go on side by side. A run lists only
// tests that execute the mutated code in the test process: StrykerJS switches mutants there
// only, so tests whose work runs in a child process (the CLIs, migrations, the built server)
// cannot kill one, and slow suites that reach the code only on the way cost minutes a mutant.
import fs from "node:fs";
import path from "node:path";

/** @type {Record<string, import("./runs.d.mts").MutationRun>} */
export const RUNS = {
  backup: {
    about: "the backup engine, the engine seam and the staff checks, against the whole suite",
    mutate: ["lib/backup/**/*.ts", "lib/db/engine/**/*.ts", "lib/db/stored-datetime.ts", "lib/auth/**/*.ts"],
    tests: null,
    skip: [
      "tests/integration/backup/restore-cli.test.ts",
      "tests/integration/backup/export-cli.test.ts",
      "tests/integration/db/migrate.test.ts",
      "tests/integration/offsite/**",
    ],
    report: "mutation",
  },
  format: {
    about: "the backup format: values, records, labels, reading and refusing files",
    mutate: ["lib/backup/format/**/*.ts", "lib/db/stored-datetime.ts"],
    tests: [
      "tests/unit/backup/**/*.test.ts",
      "tests/integration/compat/damaged-backups.test.ts",
      "tests/integration/compat/django-real-backups.test.ts",
      "tests/integration/backup/record-text.test.ts",
      "tests/integration/backup/verify-report.test.ts",
      "tests/integration/backup/verify-source.test.ts",
      "tests/integration/backup/export-edges.test.ts",
    ],
    // It shares the whole run's report: its files' results replace theirs there.
    report: "mutation",
  },
  "http-edge": {
    about:
      "the HTTP edge's security checks: bearer keys by purpose, constant-time comparison, the failure limiter and client address, same-origin",
    mutate: [
      "lib/http/bearer.ts",
      "lib/http/constant-time.ts",
      "lib/http/rate-limit.ts",
      "lib/http/same-origin.ts",
      "lib/http/socket-address.ts",
    ],
    tests: [
      "tests/unit/http/**/*.test.ts",
      "tests/integration/auth/route-wrappers.test.ts",
      "tests/integration/backup/api-answers.test.ts",
    ],
    report: "http-edge",
  },
  "http-rest": {
    about:
      "downloads: export and snapshot answers, their headers, gzip in transit, the download slots, memory and maintenance refusals",
    mutate: [
      "lib/http/export.ts",
      "lib/http/snapshot.ts",
      "lib/http/concurrency.ts",
      "lib/http/stream-body.ts",
      "lib/http/file-download.ts",
      "lib/http/gzip-in-transit.ts",
      "lib/http/memory.ts",
      "lib/http/maintenance.ts",
      "lib/http/json.ts",
    ],
    tests: [
      "tests/unit/http/**/*.test.ts",
      "tests/integration/auth/route-wrappers.test.ts",
      "tests/integration/backup/api.test.ts",
      "tests/integration/backup/api-answers.test.ts",
      "tests/integration/backup/download-answers.test.ts",
      "tests/integration/backup/downloads-and-uploads.test.ts",
      "tests/integration/backup/export-edges.test.ts",
      "tests/integration/backup/export-queue.test.ts",
    ],
    // Two other runs shared the cores when it was measured.
    concurrency: 1,
    report: "http-rest",
  },
  "offsite-watch": {
    about: "what counts as off-site and the status that says so; the push schedule's retries and lock",
    mutate: ["lib/offsite/watch.ts", "lib/offsite/schedule.ts"],
    tests: [
      "tests/unit/http/**/*.test.ts",
      "tests/unit/offsite/**/*.test.ts",
      "tests/unit/config/litestream-config.test.ts",
      "tests/integration/auth/route-wrappers.test.ts",
      "tests/integration/auth/sign-in-throttle.test.ts",
      "tests/integration/backup/api.test.ts",
      "tests/integration/backup/api-answers.test.ts",
      "tests/integration/backup/downloads-and-uploads.test.ts",
      "tests/integration/backup/export-queue.test.ts",
      "tests/integration/offsite/**/*.test.ts",
    ],
    report: "http-offsite",
  },
  "offsite-core": {
    about: "encryption with age, retention, reading s3:// sources, the off-site HTTP reports and the S3 target",
    mutate: [
      "lib/offsite/encryption.ts",
      "lib/offsite/encrypted-export.ts",
      "lib/offsite/retention.ts",
      "lib/offsite/source.ts",
      "lib/offsite/http.ts",
      "lib/offsite/targets/s3.ts",
    ],
    tests: [
      "tests/unit/offsite/**/*.test.ts",
      "tests/integration/offsite/cloud-check.test.ts",
      "tests/integration/offsite/watch.test.ts",
      "tests/integration/offsite/replica-status.test.ts",
      "tests/integration/offsite/encryption-files.test.ts",
      "tests/integration/offsite/s3-target.test.ts",
      "tests/integration/offsite/s3-source.test.ts",
      "tests/integration/offsite/status-report.test.ts",
      "tests/integration/backup/upload-lifetime.test.ts",
    ],
    concurrency: 1,
    report: "offsite-core",
  },
  "offsite-push": {
    about: "backup:push and the targets: what is uploaded, verified, reported stored and recorded; GitHub's listing",
    mutate: [
      "lib/offsite/push.ts",
      "lib/offsite/targets/target.ts",
      "lib/offsite/targets/index.ts",
      "lib/offsite/targets/github.ts",
    ],
    tests: [
      "tests/integration/offsite/push-steps.test.ts",
      "tests/integration/offsite/github.test.ts",
      "tests/unit/offsite/targets.test.ts",
    ],
    concurrency: 1,
    report: "offsite-push",
  },
  "offsite-replica": {
    about:
      "the continuous replica: Litestream's configuration, supervisor, status, weekly check and point-in-time restore",
    mutate: ["lib/offsite/replica/*.ts"],
    tests: [
      "tests/unit/offsite/replica-*.test.ts",
      "tests/unit/offsite/status-body.test.ts",
      "tests/unit/config/litestream-config.test.ts",
      "tests/integration/offsite/replica-*.test.ts",
    ],
    // The point-in-time test's CLI steps run in a child process (14 s a mutant, killing nothing).
    skip: ["tests/integration/offsite/replica-point-in-time.test.ts"],
    // A mutant that breaks Litestream's supervision makes a test wait for what never comes: 30 s
    // ends it, and 20 s over the covering tests' time counts the mutant as hanging (the
    // defaults let one mutant hold the only runner for minutes).
    testTimeout: 30_000,
    timeoutMS: 20_000,
    concurrency: 1,
    report: "offsite-replica",
  },
};

/** A StrykerJS or Vitest glob as a regular expression (`**` any folders, `*` any part of a name). */
export function globToRegExp(glob) {
  const source = glob
    .replace(/\*\*$/, "**/*")
    .split(/(\*\*\/|\*)/)
    .map((part) => (part === "**/" ? "(?:.*/)?" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`);
}

/** The code the runs are for: every file of it must be in some run (tests/unit/support/mutation-runs.test.ts). */
export const MUTATED_FOLDERS = ["lib/backup", "lib/auth", "lib/http", "lib/offsite", "lib/db/engine"];

/** Every source file of MUTATED_FOLDERS (tests aside), relative to the project root. */
export function mutatedFolderFiles() {
  return MUTATED_FOLDERS.flatMap((dir) =>
    fs
      .readdirSync(dir, { recursive: true })
      .map((f) => path.join(dir, String(f)))
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")),
  );
}
