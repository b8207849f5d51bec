// Sign-in throttling against the real server: per username and per client address, where the
// address is the TCP peer's unless TRUST_PROXY says a proxy sets X-Forwarded-For; and the same
// work for accounts that do not exist or cannot sign in as for real ones.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAccount } from "@/lib/auth/accounts";
import { hashPassword } from "@/lib/auth/password";
import { prisma } from "@/lib/db/prisma";
import { openSqlite } from "@/lib/db/sqlite";
import { startApp, type RunningApp } from "@/tests/support/app-server";
import { seededDatabase } from "@/tests/support/db";
import { attemptSignIn } from "@/tests/support/sign-in-attempt";

const STAFF = { username: "throttle-staff", password: "throttle-staff-password" };
const OTHER = { username: "throttle-other", password: "throttle-other-password" };
const INACTIVE = { username: "throttle-inactive", password: "throttle-inactive-password" };
const UNUSABLE = "throttle-unusable";
// An account moved from the Django app, hashed with Django 3.2's 260 000 iterations (ours: 1.5 M).
const OLD_DJANGO = { username: "throttle-django32", password: "correct horse battery staple" };
const DJANGO_32_HASH = "pbkdf2_sha256$260000$saltsaltsalt1234$tjK0rWTk3oLFUkJsyiTYy0UaCCAY3C8cWMy4EWHBGn0=";
const WAIT_IN_WORDS = /^Too many attempts\. Try again in \d+ (?:seconds?|minutes?|hours?)\.$/;

let direct: RunningApp;
let proxied: RunningApp;
let db: string;

beforeAll(async () => {
  db = seededDatabase(5);
  await createAccount({ ...STAFF, staff: true });
  await createAccount({ ...OTHER, staff: true });
  const inactive = await createAccount({ ...INACTIVE });
  await prisma().user.update({ where: { id: inactive.id }, data: { isActive: false } });
  const unusable = await createAccount({ username: UNUSABLE, password: "x" });
  await prisma().user.update({
    where: { id: unusable.id },
    data: { password: `!${await hashPassword("unusable")}`.slice(0, 41) },
  });
  await prisma().user.create({ data: { username: OLD_DJANGO.username, password: DJANGO_32_HASH } });
  await prisma().$disconnect();
  const env = { DATABASE_URL: `file:${db}`, DATA_DIR: process.env.DATA_DIR! };
  // One after the other: the start-up migration needs the file to itself.
  direct = await startApp({ ...env, TRUST_PROXY: "" }, 3241);
  proxied = await startApp(
    { ...env, TRUST_PROXY: "1", SIGNIN_MAX_FAILURES: "1000", SIGNIN_MAX_FAILURES_PER_ADDRESS: "6" },
    3242,
  );
});

afterAll(async () => {
  await direct?.stop();
  await proxied?.stop();
});

function historyOf(kind: string): { actor: string; detail: string }[] {
  const sqlite = openSqlite(db, { readonly: true });
  try {
    return sqlite.prepare("SELECT actor, detail FROM backup_event WHERE kind = ? ORDER BY id").all(kind) as {
      actor: string;
      detail: string;
    }[];
  } finally {
    sqlite.close();
  }
}

describe("without a trusted proxy", () => {
  it("12 wrong passwords from 'different' X-Forwarded-For addresses, then the right one: refused, with the wait in words", async () => {
    for (let i = 0; i < 12; i++) {
      const attempt = await attemptSignIn(direct.url, STAFF.username, `wrong-${i}`, `198.18.${i}.${i + 1}`);
      expect(attempt.signedIn).toBe(false);
    }
    const right = await attemptSignIn(direct.url, STAFF.username, STAFF.password, "198.18.200.1");
    expect(right.signedIn).toBe(false);
    expect(right.error).toMatch(WAIT_IN_WORDS);
    // The one-minute lock, less the time the refused tries took on a loaded machine.
    expect(right.error).toMatch(/^Too many attempts\. Try again in (?:1 minute|[1-5]\d seconds)\.$/);
    // The username is locked, not everyone behind the address: 5 failures are within its allowance.
    expect((await attemptSignIn(direct.url, OTHER.username, OTHER.password)).signedIn).toBe(true);
  });

  it("the History names the failures, where they came from, and the lock-out", () => {
    const failures = historyOf("sign-in").filter((e) => e.actor === STAFF.username);
    // Five were checked; the seven while locked were refused before any password was.
    expect(failures).toHaveLength(5);
    expect(failures.every((e) => /from (?:::1|(?:::ffff:)?127\.0\.0\.1)\.$/.test(e.detail))).toBe(true);
    const lockouts = historyOf("lockout").filter((e) => e.actor === STAFF.username);
    expect(lockouts.map((e) => e.detail)).toEqual([
      `Sign-in locked for 1 minute for the username "${STAFF.username}" after 5 failed attempts.`,
    ]);
  });

  it("the sign-in page says when to try again, and shows nothing else a link could carry", async () => {
    const notice = async (error: string) => {
      const html = await (await fetch(`${direct.url}/signin?error=${encodeURIComponent(error)}`)).text();
      return /<p role="alert"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];
    };
    expect(await notice("Too many attempts. Try again in 1 minute.")).toBe("Too many attempts. Try again in 1 minute.");
    expect(await notice("Too many attempts. Call 555-0100.")).toBe(
      "Wrong username or password, or the account is inactive.",
    );
  });
});

describe("behind a trusted proxy (TRUST_PROXY=1)", () => {
  it("the address limit follows the hop the proxy appended, not the client's own claims", async () => {
    const proxyHop = "203.0.113.7";
    const warned = (tries: string) =>
      `Wrong username or password, or the account is inactive. ${tries} before sign-ins from your network are locked for 1 minute.`;
    const told = [];
    for (let i = 0; i < 6; i++) {
      told.push((await attemptSignIn(proxied.url, `nobody-${i}`, "wrong", `10.66.${i}.1, ${proxyHop}`)).error);
    }
    // The last two before the lock are told how many are left (the usernames are far from their own 1000).
    expect(told).toEqual([
      "CredentialsSignin",
      "CredentialsSignin",
      "CredentialsSignin",
      warned("2 more tries"),
      warned("1 more try"),
      "Too many attempts. Try again in 1 minute.",
    ]);
    const fromLockedAddress = await attemptSignIn(
      proxied.url,
      OTHER.username,
      OTHER.password,
      `10.66.9.9, ${proxyHop}`,
    );
    expect(fromLockedAddress.error).toBe("Too many attempts. Try again in 1 minute.");
    // The same claims in front, another client behind the proxy: let in.
    const otherClient = await attemptSignIn(proxied.url, OTHER.username, OTHER.password, `10.66.9.9, 198.51.100.9`);
    expect(otherClient.signedIn).toBe(true);
    expect(historyOf("lockout").map((e) => e.detail)).toContain(
      `Sign-in locked for 1 minute for the address ${proxyHop} after 6 failed attempts.`,
    );
  });

  it("unknown, inactive, unusable-password and old-Django accounts take as long to refuse as a real one's wrong password", async () => {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const kinds = {
      real: () => STAFF.username,
      unknown: () => `no-such-user-${Math.random().toString(36).slice(2)}`,
      inactive: () => INACTIVE.username,
      unusable: () => UNUSABLE,
      oldDjango: () => OLD_DJANGO.username,
    };
    const times: Record<string, number[]> = { real: [], unknown: [], inactive: [], unusable: [], oldDjango: [] };
    const rounds = 9;
    let hop = 0;
    for (let round = 0; round < rounds; round++) {
      // Interleaved, in a new order each round, so a slow moment of the machine hits every kind.
      const order = Object.keys(kinds).sort(() => Math.random() - 0.5) as (keyof typeof kinds)[];
      for (const kind of order) {
        const attempt = await attemptSignIn(proxied.url, kinds[kind](), "wrong-password", `10.77.${hop++}.1`);
        expect(attempt.error).toBe("CredentialsSignin");
        times[kind]!.push(attempt.ms);
      }
    }
    const report = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(median(v))]));
    // Compared round by round (each kind against the real account's try of the same round), so
    // a slow spell of the shared machine affects both sides of each ratio.
    const ratios = (kind: string) => times[kind]!.map((ms, round) => ms / times.real![round]!);
    const medianRatios = Object.fromEntries(
      ["unknown", "inactive", "unusable", "oldDjango"].map((k) => [k, Math.round(median(ratios(k)) * 100) / 100]),
    );
    console.log(
      `median ms over ${rounds} tries each: ${JSON.stringify(report)}; median ratio to real: ${JSON.stringify(medianRatios)}`,
    );
    // An early return costs a few ms against ~0.8 s of PBKDF2 (a ratio near 0.01), and an
    // old Django hash checked without the top-up 260 000 / 1 500 000 (0.17): far outside the band.
    for (const [kind, ratio] of Object.entries(medianRatios)) {
      expect(ratio, `${kind}: ${JSON.stringify(report)}`).toBeGreaterThan(0.75);
      expect(ratio, `${kind}: ${JSON.stringify(report)}`).toBeLessThan(1 / 0.75);
    }
  });
});

// Last: until then the account keeps its old hash, which the timing test above needs.
describe("an account from the Django app", () => {
  it("signs in with its old hash, which is stored again with our iterations", async () => {
    const attempt = await attemptSignIn(direct.url, OLD_DJANGO.username, OLD_DJANGO.password);
    expect(attempt.signedIn).toBe(true);
    const sqlite = openSqlite(db, { readonly: true });
    try {
      const row = sqlite.prepare("SELECT password FROM auth_user WHERE username = ?").get(OLD_DJANGO.username) as {
        password: string;
      };
      expect(row.password).toMatch(/^pbkdf2_sha256\$1500000\$/);
    } finally {
      sqlite.close();
    }
  });
});
