// Adding a colleague's account from the Users page, through the same staff check and input parse
// every server action gets (answerAction), on a real database: the password shown once signs
// in; a researcher, a plain staff member asking for staff, or a name already taken change nothing.
import { describe, expect, it } from "vitest";

import { addAccount, AddAccountInput } from "@/lib/admin/add-account";
import { authenticate, createAccount, credentialFingerprint, type AccountRow } from "@/lib/auth/accounts";
import { asRequirement, staffCheckFor } from "@/lib/auth/guard";
import { answerAction } from "@/lib/auth/staff-action";
import { recentAudit } from "@/lib/backup/audit";
import { contentHash, freshDatabase } from "@/tests/support/db";

type Answer = { ok: boolean; error?: string; username?: string; shownOnce?: string };

/** What the signed-in `account` gets from the server for adding `input`. */
async function addAs(account: AccountRow, input: unknown): Promise<Answer> {
  const staff = asRequirement(await staffCheckFor({ uid: account.id, fingerprint: credentialFingerprint(account) }));
  return answerAction(staff, AddAccountInput, addAccount, input) as Promise<Answer>;
}

const liveFile = () => process.env.DATABASE_URL!.replace("file:", "");

async function lab() {
  freshDatabase();
  const lead = await createAccount({ username: "lead", password: "lead-password", staff: true, superuser: true });
  const manager = await createAccount({ username: "manager", password: "manager-password", staff: true });
  const researcher = await createAccount({ username: "ines", password: "ines-password" });
  return { lead, manager, researcher };
}

describe("adding an account from the Users page", () => {
  it("makes a researcher's account whose password, shown once, signs in; the History says who added it", async () => {
    const { manager } = await lab();
    const answer = await addAs(manager, { username: " kai.new ", email: "kai@lab.example" });
    expect(answer).toMatchObject({ ok: true, username: "kai.new" });
    expect(answer.shownOnce).toMatch(/^[a-zA-Z2-9]{16}$/);
    const kai = await authenticate("kai.new", answer.shownOnce!);
    expect(kai).toMatchObject({ username: "kai.new", isStaff: false, isSuperuser: false, isActive: true });
    const [event] = await recentAudit(1);
    expect(event).toMatchObject({ kind: "account", actor: "manager", result: "ok" });
    expect(JSON.parse(event!.detail).summary).toBe("Added the account kai.new, kai@lab.example");
  });

  it("makes a staff account for a superuser only; a plain staff member asking for one changes nothing", async () => {
    const { lead, manager } = await lab();
    const before = contentHash(liveFile());
    expect(await addAs(manager, { username: "second-manager", staff: true })).toEqual({
      ok: false,
      error: "Only a superuser makes a staff account. Ask a superuser.",
    });
    expect(contentHash(liveFile())).toBe(before);
    const answer = await addAs(lead, { username: "second-manager", staff: true });
    expect(await authenticate("second-manager", answer.shownOnce!)).toMatchObject({
      isStaff: true,
      isSuperuser: false,
    });
  });

  it("refuses a researcher, a name taken (in any case), a name Django would refuse and an email that is none, changing nothing", async () => {
    const { manager, researcher } = await lab();
    const before = contentHash(liveFile());
    expect((await addAs(researcher, { username: "sneaky" })).ok).toBe(false);
    expect(await addAs(manager, { username: "INES" })).toEqual({
      ok: false,
      error: "There is an account named ines already.",
    });
    expect((await addAs(manager, { username: "two words" })).error).toMatch(/Usernames use letters, digits/);
    expect((await addAs(manager, { username: "ok-name", email: "not-an-email" })).error).toMatch(
      /That is not an email address/,
    );
    expect(contentHash(liveFile())).toBe(before);
  });
});
