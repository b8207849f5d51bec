// Deleting an account on PostgreSQL: the safety snapshot taken first is the engine's own kind
// (our compressed export, since a server's database is no file to copy), it holds the account
// and what went with it, and older snapshots are pruned as after a restore, not left to pile up.
import fs from "node:fs";
import { gunzipSync } from "node:zlib";

import { expect, it } from "vitest";

import { DeleteInput, removeAccount } from "@/lib/admin/user-actions";
import { createAccount, credentialFingerprint, type AccountRow } from "@/lib/auth/accounts";
import { asRequirement, staffCheckFor } from "@/lib/auth/guard";
import { answerAction } from "@/lib/auth/staff-action";
import { listSafetySnapshots, SAFETY_SNAPSHOTS_KEPT } from "@/lib/backup/snapshot";
import { describePurpose } from "@/lib/backup/snapshot-info";
import { prisma } from "@/lib/db/prisma";
import { describeOnPostgres, freshPostgresDatabase } from "@/tests/support/postgres";

async function deleteAs(staff: AccountRow, userId: number) {
  const check = asRequirement(await staffCheckFor({ uid: staff.id, fingerprint: credentialFingerprint(staff) }));
  return answerAction(check, DeleteInput, removeAccount as never, { userId, confirmation: "DELETE" }) as Promise<{
    ok: boolean;
    error?: string;
    snapshot?: string;
  }>;
}

describeOnPostgres("deleting an account on PostgreSQL", () => {
  it("keeps what it deletes in a safety export first, and prunes older snapshots", async () => {
    await freshPostgresDatabase();
    const lead = await createAccount({ username: "lead", password: "lead-password", staff: true, superuser: true });
    const marie = await createAccount({ username: "marie", password: "radium-1898" });
    await prisma().notification.create({
      data: { recipientId: marie.id, notificationType: "database_restored", title: "t", message: "m" },
    });

    const deleted = await deleteAs(lead, marie.id);
    expect(deleted).toMatchObject({ ok: true, snapshot: expect.stringMatching(/\.json\.gz$/) });
    expect(await prisma().user.findUnique({ where: { username: "marie" } })).toBeNull();
    const [snapshot] = listSafetySnapshots();
    expect(snapshot?.name).toBe(deleted.snapshot);
    expect(snapshot?.purpose && describePurpose(snapshot.purpose)).toBe("before deleting account marie, by lead");
    const held = JSON.parse(gunzipSync(fs.readFileSync(snapshot!.file)).toString("utf8")) as {
      models: Record<string, { fields: Record<string, unknown> }[]>;
    };
    expect(held.models["auth.User"]!.map((u) => u.fields.username)).toContain("marie");
    expect(held.models["calendarEditor.Notification"]).toHaveLength(1);

    // More deletions than snapshots kept: the older ones go (those of today but the day's first).
    for (let i = 0; i < SAFETY_SNAPSHOTS_KEPT + 2; i++) {
      const account = await createAccount({ username: `guest${i}`, password: "guest-password" });
      expect(await deleteAs(lead, account.id)).toMatchObject({ ok: true });
    }
    expect(listSafetySnapshots().length).toBeLessThanOrEqual(SAFETY_SNAPSHOTS_KEPT + 1);
  });
});
