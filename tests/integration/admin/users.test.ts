// The Users page's actions on a real database, through the same staff check and input parse
// every server action gets (answerAction): who may change whom, the refusals that keep the lab
// able to sign in, and the History line each change leaves.
import { describe, expect, it } from "vitest";

import {
  changeFlags,
  DeleteInput,
  FlagsInput,
  removeAccount,
  ResetInput,
  resetPassword,
} from "@/lib/admin/user-actions";
import { listUsers } from "@/lib/admin/users";
import { authenticate, createAccount, credentialFingerprint, type AccountRow } from "@/lib/auth/accounts";
import { asRequirement, staffCheckFor } from "@/lib/auth/guard";
import { answerAction } from "@/lib/auth/staff-action";
import { recentAudit } from "@/lib/backup/audit";
import { listSafetySnapshots } from "@/lib/backup/snapshot";
import { describePurpose } from "@/lib/backup/snapshot-info";
import { prisma } from "@/lib/db/prisma";
import { openSqlite } from "@/lib/db/sqlite";
import { contentHash, freshDatabase } from "@/tests/support/db";

const liveFile = () => process.env.DATABASE_URL!.replace("file:", "");

/** What the signed-in `account` gets from the server for this action and input. */
async function as<T extends object>(
  account: AccountRow,
  schema: Parameters<typeof answerAction>[1],
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any of the three bodies, each with its own input
  body: (input: any, staff: AccountRow) => Promise<T>,
  input: unknown,
) {
  const staff = asRequirement(await staffCheckFor({ uid: account.id, fingerprint: credentialFingerprint(account) }));
  return answerAction(staff, schema, body as never, input) as Promise<{ ok: boolean; error?: string } & T>;
}

async function lab() {
  freshDatabase();
  const lead = await createAccount({ username: "lead", password: "lead-password", staff: true, superuser: true });
  const installer = await createAccount({
    username: "admin",
    password: "installer-pass",
    staff: true,
    superuser: true,
  });
  const researcher = await createAccount({ username: "marie", password: "radium-1898" });
  return { lead, installer, researcher };
}

const lastHistory = async () => {
  const [event] = await recentAudit(1);
  return event ? { kind: event.kind, actor: event.actor, summary: JSON.parse(event.detail).summary as string } : null;
};

describe("the Users list", () => {
  it("is alphabetical whatever the case, a page of 50 at a time", async () => {
    freshDatabase();
    const names = Array.from({ length: 60 }, (_, i) => `${i % 2 ? "User" : "user"}${String(i).padStart(2, "0")}`);
    await prisma().user.createMany({ data: names.map((username) => ({ username, password: "!" })) });
    const expected = [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    const first = await listUsers(1);
    const second = await listUsers(2);
    expect([...first.users, ...second.users].map((u) => u.username)).toEqual(expected);
    expect(first.users).toHaveLength(50);
    expect(first.window).toMatchObject({ page: 1, pages: 2, total: 60 });
  });
});

describe("the Users list, on passwords", () => {
  it("says which accounts have no password they could sign in with, and never carries a hash", async () => {
    freshDatabase();
    await createAccount({ username: "has-one", password: "a-real-password" });
    await prisma().user.create({ data: { username: "moved-in-without", password: "!unusable-from-django" } });
    await prisma().user.create({ data: { username: "empty", password: "" } });
    const { users } = await listUsers(1);
    expect(Object.fromEntries(users.map((u) => [u.username, u.hasPassword]))).toEqual({
      empty: false,
      "has-one": true,
      "moved-in-without": false,
    });
    expect(JSON.stringify(users)).not.toMatch(/pbkdf2|unusable-from-django/);
  });
});

describe("who may manage accounts", () => {
  it("refuses a researcher every action, changing nothing and writing no History", async () => {
    const { installer, researcher } = await lab();
    const before = contentHash(liveFile());
    for (const [schema, body, input] of [
      [FlagsInput, changeFlags, { userId: installer.id, isActive: false }],
      [ResetInput, resetPassword, { userId: installer.id, password: "taken-over-1" }],
      [DeleteInput, removeAccount, { userId: installer.id, confirmation: "DELETE" }],
    ] as const) {
      expect(await as<object>(researcher, schema, body, input)).toEqual({
        ok: false,
        error: "This area is for lab staff only.",
      });
    }
    expect(contentHash(liveFile())).toBe(before);
    expect(await lastHistory()).toBeNull();
  });
});

describe("staff managing accounts", () => {
  it("deactivates and reactivates an account, and makes and unmakes staff, each in the History", async () => {
    const { lead, installer, researcher } = await lab();
    expect(await as(lead, FlagsInput, changeFlags, { userId: installer.id, isActive: false })).toEqual({
      ok: true,
      summary: "Deactivated admin.",
    });
    expect(await authenticate("admin", "installer-pass")).toBeNull();
    expect(await lastHistory()).toEqual({ kind: "account", actor: "lead", summary: "Deactivated admin" });
    await as(lead, FlagsInput, changeFlags, { userId: installer.id, isActive: true });
    expect(await authenticate("admin", "installer-pass")).toMatchObject({ username: "admin" });
    expect(await as(lead, FlagsInput, changeFlags, { userId: researcher.id, isStaff: true })).toMatchObject({
      summary: "Made marie staff.",
    });
    expect(await as(lead, FlagsInput, changeFlags, { userId: installer.id, isSuperuser: false })).toMatchObject({
      summary: "Took superuser rights from admin.",
    });
  });

  it("resets a password to one it makes and answers once, or to the one typed", async () => {
    const { lead, installer } = await lab();
    const made = await as(lead, ResetInput, resetPassword, { userId: installer.id });
    expect(made).toMatchObject({ ok: true, username: "admin", shownOnce: expect.stringMatching(/^[A-Za-z2-9]{16}$/) });
    expect(await authenticate("admin", (made as { shownOnce: string }).shownOnce)).toMatchObject({ id: installer.id });
    expect(await authenticate("admin", "installer-pass")).toBeNull();
    expect(
      await as(lead, ResetInput, resetPassword, { userId: installer.id, password: "typed-by-lead" }),
    ).toMatchObject({
      shownOnce: null,
    });
    expect(await authenticate("admin", "typed-by-lead")).toMatchObject({ id: installer.id });
    expect(await lastHistory()).toEqual({ kind: "account", actor: "lead", summary: "Reset the password of admin" });
    // The password is in no History line.
    expect(JSON.stringify(await recentAudit(5))).not.toContain("typed-by-lead");
  });

  it("deletes the installer's account with what belongs to it, after the typed confirmation only", async () => {
    const { lead, installer } = await lab();
    await prisma().notification.create({
      data: { recipientId: installer.id, notificationType: "database_restored", title: "t", message: "m" },
    });
    expect(await as(lead, DeleteInput, removeAccount, { userId: installer.id, confirmation: "delete" })).toEqual({
      ok: false,
      error: "Type DELETE to confirm.",
    });
    const deleted = await as(lead, DeleteInput, removeAccount, { userId: installer.id, confirmation: "DELETE" });
    expect(deleted).toMatchObject({
      ok: true,
      summary: expect.stringMatching(
        /^Deleted admin with 1 notification; a safety snapshot taken just before keeps it \(the safety snapshot of .+\)\.$/,
      ),
    });
    expect(await prisma().user.findUnique({ where: { username: "admin" } })).toBeNull();
    expect(await prisma().notification.count()).toBe(0);
    expect(await lastHistory()).toEqual({
      kind: "account",
      actor: "lead",
      summary: expect.stringMatching(
        /^Deleted the account admin with 1 notification; a safety snapshot taken just before/,
      ),
    });
    // The snapshot holds the account and what went with it, and says what it was taken before.
    const [snapshot] = listSafetySnapshots();
    expect(snapshot?.name).toBe((deleted as { snapshot: string }).snapshot);
    expect(snapshot?.purpose && describePurpose(snapshot.purpose)).toBe("before deleting account admin, by lead");
    const copy = openSqlite(snapshot!.file, { mustExist: true });
    try {
      expect(copy.prepare("SELECT id FROM auth_user WHERE username = 'admin'").get()).toEqual({ id: installer.id });
      expect(
        copy.prepare("SELECT COUNT(*) AS n FROM calendarEditor_notification WHERE recipient_id = ?").get(installer.id),
      ).toEqual({
        n: 1,
      });
    } finally {
      copy.close();
    }
  });
});

describe("changes that would lock people out", () => {
  it("refuses deleting, deactivating or demoting yourself, in a plain sentence, changing nothing", async () => {
    const { lead } = await lab();
    const before = contentHash(liveFile());
    expect(await as(lead, DeleteInput, removeAccount, { userId: lead.id, confirmation: "DELETE" })).toEqual({
      ok: false,
      error: "You cannot delete your own account: you would lock yourself out. Ask another staff member.",
    });
    for (const change of [{ isActive: false }, { isStaff: false, isSuperuser: false }]) {
      expect(await as(lead, FlagsInput, changeFlags, { userId: lead.id, ...change })).toEqual({
        ok: false,
        error:
          "You cannot take away your own sign-in or staff rights: you would lock yourself out. Ask another staff member.",
      });
    }
    expect(contentHash(liveFile())).toBe(before);
  });

  it("refuses removing the last active staff account, even from a caller that passed no staff check", async () => {
    // Through an action the one acting is themselves active staff, so only they could be last;
    // the body still checks on its own, for any other caller.
    const { lead, installer } = await lab();
    await prisma().user.update({ where: { id: lead.id }, data: { isActive: false } });
    const caller = lead;
    const before = contentHash(liveFile());
    // The deactivated lead: a superuser's row, so only the last-staff rule can refuse.
    await expect(changeFlags({ userId: installer.id, isStaff: false, isSuperuser: false }, caller)).rejects.toThrow(
      "admin is the last active staff account: this change would leave nobody able to open this console. Make someone else staff first.",
    );
    await expect(removeAccount({ userId: installer.id, confirmation: "DELETE" }, caller)).rejects.toThrow(
      /^admin is the last active staff account: deleting it would leave nobody/,
    );
    expect(contentHash(liveFile())).toBe(before);
  });
});

describe("rights only a superuser holds", () => {
  async function labWithStaff() {
    const accounts = await lab();
    const helper = await createAccount({ username: "pierre", password: "polonium-1898", staff: true });
    const colleague = await createAccount({ username: "irene", password: "neutron-1934", staff: true });
    return { ...accounts, helper, colleague };
  }

  it("refuses a staff member making themselves superuser or staff rights to anyone, changing nothing", async () => {
    const { helper, researcher } = await labWithStaff();
    const before = contentHash(liveFile());
    expect(await as(helper, FlagsInput, changeFlags, { userId: helper.id, isSuperuser: true })).toEqual({
      ok: false,
      error: "You cannot raise your own rights. Ask a superuser.",
    });
    expect(await as(helper, FlagsInput, changeFlags, { userId: researcher.id, isStaff: true })).toEqual({
      ok: false,
      error: "Only a superuser can give or take staff or superuser rights. Ask a superuser.",
    });
    expect(contentHash(liveFile())).toBe(before);
    expect(await lastHistory()).toBeNull();
  });

  it("refuses a staff member resetting, deactivating or deleting a superuser or another staff member", async () => {
    const { helper, colleague, installer } = await labWithStaff();
    const before = contentHash(liveFile());
    for (const target of [installer, colleague]) {
      expect(await as(helper, ResetInput, resetPassword, { userId: target.id })).toEqual({
        ok: false,
        error: `Only a superuser can reset the password of ${target.username}, a staff account. Ask a superuser.`,
      });
      expect(await as(helper, FlagsInput, changeFlags, { userId: target.id, isActive: false })).toEqual({
        ok: false,
        error: `Only a superuser can change ${target.username}, a staff account. Ask a superuser.`,
      });
      expect(await as(helper, DeleteInput, removeAccount, { userId: target.id, confirmation: "DELETE" })).toEqual({
        ok: false,
        error: `Only a superuser can delete ${target.username}, a staff account. Ask a superuser.`,
      });
    }
    expect(contentHash(liveFile())).toBe(before);
    expect(await lastHistory()).toBeNull();
  });

  it("lets a staff member manage researchers, and a superuser manage staff", async () => {
    const { lead, helper, colleague, researcher } = await labWithStaff();
    expect(await as(helper, FlagsInput, changeFlags, { userId: researcher.id, isActive: false })).toMatchObject({
      ok: true,
    });
    expect(await as(helper, ResetInput, resetPassword, { userId: researcher.id })).toMatchObject({ ok: true });
    expect(await as(lead, FlagsInput, changeFlags, { userId: colleague.id, isSuperuser: true })).toMatchObject({
      ok: true,
    });
    expect(await as(lead, ResetInput, resetPassword, { userId: helper.id })).toMatchObject({ ok: true });
  });
});

describe("the last staff account, counted as sign-in counts it", () => {
  it("does not count a staff account whose stored password no sign-in can check (not PBKDF2)", async () => {
    const { lead, installer } = await lab();
    // Another tool's hash: not "!", yet sign-in refuses it, so it opens nothing.
    await prisma().user.update({ where: { id: installer.id }, data: { password: "bcrypt$$2b$12$abcdefghijk" } });
    expect(await authenticate("admin", "installer-pass")).toBeNull();
    const before = contentHash(liveFile());
    await expect(changeFlags({ userId: lead.id, isStaff: false, isSuperuser: false }, installer)).rejects.toThrow(
      /^lead is the last active staff account/,
    );
    expect(contentHash(liveFile())).toBe(before);
  });
});
