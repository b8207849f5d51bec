// Who could sign in after a restore, decided from the file's accounts alone: each rule that
// makes an account usable for staff, each way the acting admin's account can differ, and the
// warnings and lockout that follow.
import { describe, expect, it } from "vitest";

import { createRecordDecoder } from "@/lib/backup/format/record-schema";
import { modelByName } from "@/lib/backup/format/schema-model";
import {
  accountReader,
  checkSignIn,
  decideAccess,
  type FileAccount,
  type SignInAs,
} from "@/lib/backup/restore/sign-in-check";

const HASH = "pbkdf2_sha256$1500000$salt$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

function account(overrides: Partial<FileAccount> = {}): FileAccount {
  return { pk: 1, username: "ada", password: HASH, isActive: true, isStaff: true, isSuperuser: false, ...overrides };
}

/** A staff member who can sign in, other than the people a test is about. */
const colleague = account({ pk: 90, username: "colleague" });

describe("who counts as staff able to sign in", () => {
  it.each<[string, Partial<FileAccount>, number]>([
    ["an active staff member with a password", {}, 1],
    ["an active superuser who is not staff", { isStaff: false, isSuperuser: true }, 1],
    ["an inactive staff member", { isActive: false }, 0],
    ["an active account without staff or superuser rights", { isStaff: false }, 0],
    ["a staff member with an empty password", { password: "" }, 0],
    ["a staff member with Django's unusable password", { password: "!unusable" }, 0],
    ["a staff member whose password merely ends in !", { password: `${HASH}!` }, 1],
  ])("%s", (_, overrides, expected) => {
    const check = checkSignIn([account(overrides)], null);
    expect(check.staffWhoCanSignIn).toBe(expected);
    expect(check.locksOut).toBe(expected === 0);
    expect(check.warnings).toEqual(
      expected === 0
        ? [
            "No active staff account with a usable password is in this backup: nobody could sign in to this console afterwards.",
          ]
        : [],
    );
  });

  it("counts every such account in the file, not just one", () => {
    const accounts = [account(), account({ pk: 2, username: "bo", isStaff: false }), colleague];
    expect(checkSignIn(accounts, null)).toMatchObject({
      actor: null,
      staffWhoCanSignIn: 2,
      warnings: [],
      locksOut: false,
    });
  });

  it("counts a kept account as it is now instead of the file's record of it", () => {
    const inFile = account({ isActive: false });
    const keptNow = account({ pk: 7 });
    expect(checkSignIn([inFile], null, [keptNow]).staffWhoCanSignIn).toBe(1);
    // And the other way round: a kept account that is not staff now does not count, whatever the file says.
    expect(checkSignIn([account()], null, [account({ isStaff: false })]).staffWhoCanSignIn).toBe(0);
    // Accounts not kept are counted from the file, beside the kept ones.
    expect(checkSignIn([account(), colleague], null, [account({ pk: 7 })]).staffWhoCanSignIn).toBe(2);
  });
});

describe("the acting admin's account in the file", () => {
  const me = account({ pk: 4, username: "me" });

  it("is the same: no warning, no lockout", () => {
    expect(checkSignIn([{ ...me }, colleague], me)).toMatchObject({
      actor: { username: "me", status: "same", differences: [] },
      staffWhoCanSignIn: 2,
      warnings: [],
      locksOut: false,
    });
  });

  it("is missing: a warning that names the account, and a lockout", () => {
    const check = checkSignIn([colleague], me);
    expect(check.actor).toEqual({ username: "me", status: "missing", differences: [] });
    expect(check.warnings).toEqual([
      "Your account (me) is not in this backup: you would be signed out and could not sign in again.",
    ]);
    expect(check.locksOut).toBe(true);
  });

  it.each<[string, Partial<FileAccount>, string[]]>([
    [
      "another password",
      { password: "pbkdf2_sha256$1500000$salt$BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=" },
      ["a different password"],
    ],
    ["no staff rights", { isStaff: false }, ["no staff rights"]],
    ["an unusable password", { password: "!x" }, ["a different password", "no staff rights"]],
    ["inactive", { isActive: false }, ["no staff rights", "inactive"]],
    ["another id", { pk: 12 }, ["another id (12, now 4)"]],
  ])("differs by %s: each difference named, and a lockout", (_, overrides, differences) => {
    const check = checkSignIn([{ ...me, ...overrides }, colleague], me);
    expect(check.actor).toEqual({ username: "me", status: "differs", differences });
    expect(check.warnings).toEqual([
      `Your account (me) is different in this backup (${differences.join(", ")}): you would be signed out.`,
    ]);
    expect(check.locksOut).toBe(true);
  });

  it("names gained rights and activity too, when the file's record has them and the live one does not", () => {
    const now = account({ pk: 4, username: "me", isActive: false, isStaff: false });
    const check = checkSignIn([{ ...now, isActive: true, isStaff: true }, colleague], now);
    expect(check.actor?.differences).toEqual(["staff rights", "active"]);
  });

  it("is neither warned about nor locked out when the account is kept", () => {
    const check = checkSignIn([colleague], me, [me]);
    expect(check.actor).toEqual({ username: "me", status: "missing", differences: [] });
    expect(check.warnings).toEqual([]);
    expect(check.locksOut).toBe(false);
  });

  it("still locks out when the account is kept but nobody could sign in as staff", () => {
    const notStaff = account({ pk: 4, username: "me", isStaff: false });
    const check = checkSignIn([{ ...notStaff }], notStaff, [notStaff]);
    expect(check.warnings).toEqual([expect.stringMatching(/^No active staff account/)]);
    expect(check.locksOut).toBe(true);
  });

  it("gives both warnings when the admin is missing and nobody else is staff", () => {
    const check = checkSignIn([account({ pk: 2, username: "bo", isStaff: false })], me);
    expect(check.warnings).toHaveLength(2);
    expect(check.warnings[0]).toMatch(/^Your account \(me\) is not in this backup/);
    expect(check.warnings[1]).toMatch(/^No active staff account/);
  });
});

describe("who can sign in afterwards, by name and role", () => {
  it("lists superusers, then staff, then researchers who can sign in, and leaves out those who cannot", () => {
    const accounts = [
      account({ pk: 2, username: "zed", isStaff: false }),
      account({ pk: 3, username: "root", isStaff: false, isSuperuser: true }),
      colleague,
      account({ pk: 4, username: "gone", isActive: false }),
      account({ pk: 5, username: "locked", isStaff: false, password: "!x" }),
      account({ pk: 6, username: "amy", isStaff: false }),
    ];
    const check = checkSignIn(accounts, null);
    expect(check.whoCanSignIn).toEqual([
      { username: "root", role: "superuser", kept: false },
      { username: "colleague", role: "staff", kept: false },
      { username: "amy", role: "active", kept: false },
      { username: "zed", role: "active", kept: false },
    ]);
    expect(check.researchersWhoCanSignIn).toBe(2);
  });

  it("names a kept account as it is now, marked kept, instead of the file's record of it", () => {
    const check = checkSignIn([account({ isStaff: false }), colleague], null, [account({ pk: 9 })]);
    expect(check.whoCanSignIn).toEqual([
      { username: "ada", role: "staff", kept: true },
      { username: "colleague", role: "staff", kept: false },
    ]);
  });

  it("names every staff member but only the first 50 researchers, counting all of them", () => {
    const researchers = Array.from({ length: 80 }, (_, i) =>
      account({ pk: 100 + i, username: `r${String(i).padStart(2, "0")}`, isStaff: false }),
    );
    const check = checkSignIn([...researchers, colleague], null);
    expect(check.whoCanSignIn).toHaveLength(51);
    expect(check.whoCanSignIn[0]).toMatchObject({ username: "colleague" });
    expect(check.researchersWhoCanSignIn).toBe(80);
  });
});

describe("signing in afterwards as one of the file's staff", () => {
  const me = account({ pk: 4, username: "me" });
  const live = { actor: me, kept: [], guard: true };
  const proven = (username: string, matches: boolean): SignInAs & { asked: string[] } => {
    const asked: string[] = [];
    return {
      username,
      asked,
      passwordMatches: async (hash) => {
        asked.push(hash);
        return matches;
      },
    };
  };

  it("lets a restore through that would sign the admin out, once the password matches the file's hash", async () => {
    const signInAs = proven("colleague", true);
    const access = await decideAccess([colleague], live, signInAs);
    expect(access.refusal).toBeNull();
    expect(access.check.warnings).toEqual([]);
    expect(signInAs.asked).toEqual([colleague.password]);
  });

  it("refuses a wrong password, an unknown account and an account that cannot open the console", async () => {
    const researcher = account({ pk: 5, username: "bo", isStaff: false });
    expect((await decideAccess([colleague], live, proven("colleague", false))).refusal).toBe(
      "That is not colleague's password in this backup; nothing was changed.",
    );
    expect((await decideAccess([colleague], live, proven("nobody", true))).refusal).toBe(
      'There is no account named "nobody" in this backup; nothing was changed.',
    );
    expect((await decideAccess([colleague, researcher], live, proven("bo", true))).refusal).toMatch(
      /^bo could not open this console after the restore/,
    );
  });

  it("without it, refuses as before and names both ways through", async () => {
    const access = await decideAccess([colleague], live);
    expect(access.refusal).toMatch(/Choose “Keep my account”, or sign in afterwards as one of the backup's staff/);
  });
});

describe("reading an account from a decoded User record", () => {
  const decode = (fields: Record<string, unknown>) => {
    const result = createRecordDecoder(modelByName("User")).decode({
      model: "auth.user",
      pk: 5,
      fields: { username: "ada", password: HASH, date_joined: "2024-01-01T00:00:00Z", ...fields },
    });
    if (!result.ok) throw new Error(result.error);
    return accountReader()(result.value);
  };

  it("takes each sign-in field from its own column", () => {
    expect(decode({ is_active: true, is_staff: false, is_superuser: true })).toEqual({
      pk: 5,
      username: "ada",
      password: HASH,
      isActive: true,
      isStaff: false,
      isSuperuser: true,
    });
    expect(decode({ is_active: false, is_staff: true, is_superuser: false })).toMatchObject({
      isActive: false,
      isStaff: true,
      isSuperuser: false,
    });
  });
});
