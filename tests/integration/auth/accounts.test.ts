import { execFileSync } from "node:child_process";

import { describe, expect, it } from "vitest";

import { authenticate, createAccount, isStaffAccount } from "@/lib/auth/accounts";
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
});
