import { execFileSync } from "node:child_process";

import { describe, expect, it } from "vitest";

import { authenticate, createAccount, credentialFingerprint, isStaffAccount } from "@/lib/auth/accounts";
import { NewAccountInput, NewPassword, Username } from "@/lib/auth/new-account";
import { DJANGO_PBKDF2_ITERATIONS } from "@/lib/auth/password";
import { prisma } from "@/lib/db/prisma";
import { freshDatabase } from "@/tests/support/db";

describe("accounts on a real database", () => {
  it("signs in with the right password only", async () => {
    freshDatabase();
    await createAccount({ username: "ada", password: "analytical-engine", staff: true });
    expect((await authenticate("ada", "analytical-engine"))?.username).toBe("ada");
    expect(await authenticate("ada", "analytical-Engine")).toBeNull();
    expect(await authenticate("nobody", "analytical-engine")).toBeNull();
  });

  it("never signs in an inactive user or one with an unusable Django password", async () => {
    freshDatabase();
    const inactive = await createAccount({ username: "gone", password: "still-correct" });
    await prisma().user.update({ where: { id: inactive.id }, data: { isActive: false } });
    expect(await authenticate("gone", "still-correct")).toBeNull();

    await prisma().user.create({ data: { username: "locked", password: "!unusable-hash" } });
    expect(await authenticate("locked", "!unusable-hash")).toBeNull();
    expect(await authenticate("locked", "")).toBeNull();
  });

  it("stores an old Django account's password again with our iterations once it signs in, and still takes it", async () => {
    freshDatabase();
    // Django 3.2's make_password("correct horse battery staple", salt="saltsaltsalt1234").
    const django32 = "pbkdf2_sha256$260000$saltsaltsalt1234$tjK0rWTk3oLFUkJsyiTYy0UaCCAY3C8cWMy4EWHBGn0=";
    await prisma().user.create({ data: { username: "curie", password: django32, isStaff: true } });
    const stored = async () => (await prisma().user.findUniqueOrThrow({ where: { username: "curie" } })).password;

    expect(await authenticate("curie", "wrong horse")).toBeNull();
    expect(await stored()).toBe(django32);

    const account = await authenticate("curie", "correct horse battery staple");
    const rehashed = await stored();
    expect(rehashed).toMatch(new RegExp(`^pbkdf2_sha256\\$${DJANGO_PBKDF2_ITERATIONS}\\$`));
    // The session is made from what sign-in returns: its fingerprint is that of the new hash.
    expect(account?.password).toBe(rehashed);
    expect(credentialFingerprint(account!)).toBe(credentialFingerprint({ username: "curie", password: rehashed }));
    expect((await authenticate("curie", "correct horse battery staple"))?.password).toBe(rehashed);
  });

  it("treats only active staff or superusers as staff", () => {
    expect(isStaffAccount({ isActive: true, isStaff: true, isSuperuser: false })).toBe(true);
    expect(isStaffAccount({ isActive: true, isStaff: false, isSuperuser: true })).toBe(true);
    expect(isStaffAccount({ isActive: false, isStaff: true, isSuperuser: true })).toBe(false);
    expect(isStaffAccount({ isActive: true, isStaff: false, isSuperuser: false })).toBe(false);
  });

  it("creates a staff user from the CLI with the password from USER_PASSWORD", async () => {
    const file = freshDatabase();
    const out = execFileSync(
      "node",
      ["scripts/cli.mjs", "create-user", "--username", "grace", "--email", "grace@lab.example.org", "--staff"],
      {
        env: { ...process.env, DATABASE_URL: `file:${file}`, USER_PASSWORD: "compilers-are-fun" },
        encoding: "utf8",
      },
    );
    expect(out).toContain('Created staff "grace"');
    const account = await authenticate("grace", "compilers-are-fun");
    expect(account && isStaffAccount(account)).toBe(true);
  });

  it("refuses a weak password from the CLI and creates nothing", async () => {
    const file = freshDatabase();
    expect(() =>
      execFileSync("node", ["scripts/cli.mjs", "create-user", "--username", "weak"], {
        env: { ...process.env, DATABASE_URL: `file:${file}`, USER_PASSWORD: "short" },
        encoding: "utf8",
        stdio: "pipe",
      }),
    ).toThrow(/at least 8 characters/);
    expect(await prisma().user.count()).toBe(0);
  });

  it("makes an account as the original app's admin would: approved, staff told of restores, email optional", async () => {
    freshDatabase();
    const made = {
      researcher: await createAccount({ username: "marie", password: "radium-1898" }),
      staff: await createAccount({ username: "ada", password: "analytical", email: "ada@lab.example", staff: true }),
      superuser: await createAccount({ username: "root", password: "superuser-pw", superuser: true }),
    };
    const stored = async (id: number) =>
      prisma().user.findUniqueOrThrow({ where: { id }, include: { profile: true, notificationPreference: true } });
    const researcher = await stored(made.researcher.id);
    expect(researcher).toMatchObject({ email: "", isStaff: false, isSuperuser: false, isActive: true });
    expect(researcher.profile).toMatchObject({ status: "approved", isApproved: true, approvedAt: expect.any(Date) });
    expect(researcher.notificationPreference?.notifyDatabaseRestored).toBe(false);
    expect(await stored(made.staff.id)).toMatchObject({
      email: "ada@lab.example",
      isStaff: true,
      notificationPreference: { notifyDatabaseRestored: true },
    });
    expect(await stored(made.superuser.id)).toMatchObject({
      isStaff: true,
      isSuperuser: true,
      notificationPreference: { notifyDatabaseRestored: true },
    });
  });

  it("records the time of each successful sign-in, and only of a successful one", async () => {
    freshDatabase();
    const { id } = await createAccount({ username: "ada", password: "analytical-engine" });
    const lastLogin = async () => (await prisma().user.findUniqueOrThrow({ where: { id } })).lastLogin;
    expect(await lastLogin()).toBeNull();
    await authenticate("ada", "wrong-password");
    expect(await lastLogin()).toBeNull();
    const before = Date.now();
    await authenticate("ada", "analytical-engine");
    expect((await lastLogin())!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("fingerprints credentials in 16 characters that change with the username or the password hash", () => {
    const print = credentialFingerprint({ username: "ada", password: "pbkdf2_sha256$1$s$h" });
    expect(print).toMatch(/^[\w-]{16}$/);
    expect(credentialFingerprint({ username: "ada", password: "pbkdf2_sha256$1$s$h2" })).not.toBe(print);
    expect(credentialFingerprint({ username: "ada2", password: "pbkdf2_sha256$1$s$h" })).not.toBe(print);
    expect(credentialFingerprint({ username: "ada", password: "pbkdf2_sha256$1$s$h" })).toBe(print);
  });
});

describe("the rules for a new account", () => {
  it("takes Django's usernames (letters, digits, @ . + - _, up to 150) and passwords of 8 or more", () => {
    for (const name of ["ada", "a.b@c+d-e_f", "姓名", "x".repeat(150)])
      expect(Username.safeParse(name).success, name).toBe(true);
    for (const name of ["", "has space", "semi;colon", "x".repeat(151), "ada\n"]) {
      expect(Username.safeParse(name).success, name).toBe(false);
    }
    expect(Username.safeParse("a b").error?.issues[0]?.message).toBe(
      "Usernames use letters, digits and @ . + - _ (at most 150).",
    );
    expect(NewPassword.safeParse("1234567").error?.issues[0]?.message).toBe("Passwords need at least 8 characters.");
    expect(NewPassword.safeParse("12345678").success).toBe(true);
    expect(NewPassword.safeParse("p".repeat(4096)).success).toBe(true);
    expect(NewPassword.safeParse("p".repeat(4097)).success).toBe(false);
    expect(NewAccountInput.safeParse({ username: "ada", password: "12345678", email: "" }).success).toBe(true);
    expect(NewAccountInput.safeParse({ username: "ada", password: "12345678", email: "not-an-email" }).success).toBe(
      false,
    );
  });
});
