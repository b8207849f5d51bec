// The dry run's lockout warning follows the sign-in choice alone: red while no way through is
// chosen, a plain note once Keep my account (or a backup account and its password) avoids it,
// whatever else still holds the restore back (data the file would lose, say).
import { describe, expect, it } from "vitest";

import {
  blockedReason,
  initialChoices,
  lockoutAvoided,
  type Choices,
} from "@/components/storage/restore/RestoreChoices";
import type { DryRun } from "@/lib/admin/upload";

function dryRunWithoutMyAccount({ losses = 0 } = {}): DryRun {
  return {
    uploadId: "u1",
    fileName: "other-lab.json",
    bytes: 1000,
    encrypted: false,
    report: { losses: Array.from({ length: losses }, () => ({ text: "a field this app cannot keep" })) },
    current: {},
    signIn: {
      actor: { username: "ada", status: "missing", differences: [] },
      staffWhoCanSignIn: 1,
      whoCanSignIn: [{ username: "grace", role: "staff", kept: false }],
      researchersWhoCanSignIn: 0,
      warnings: ["Your account (ada) is not in this backup: you would be signed out and could not sign in again."],
      locksOut: true,
    },
    changes: [],
    summary: "",
  } as unknown as DryRun;
}

describe("the dry run's lockout warning", () => {
  it("says how Keep my account avoids it, also while data the file would lose still holds the restore back", () => {
    const dryRun = dryRunWithoutMyAccount({ losses: 1 });
    const keep = initialChoices(dryRun);
    expect(keep.keepMyAccount).toBe(true);
    expect(blockedReason(dryRun, keep)).toBe("Accept the loss of the data listed above first.");
    expect(lockoutAvoided(dryRun, keep)).toBe("Your account (ada) is kept as it is now, so you stay signed in.");
  });

  it("stays a warning with no way through chosen, or a backup account without its password", () => {
    const dryRun = dryRunWithoutMyAccount();
    const none: Choices = { ...initialChoices(dryRun), keepMyAccount: false };
    expect(lockoutAvoided(dryRun, none)).toBeNull();
    const signInAs = { ...none, signInAs: { username: "grace", password: "" } };
    expect(lockoutAvoided(dryRun, signInAs)).toBeNull();
    expect(blockedReason(dryRun, signInAs)).toBe("Type grace's password, as it is in this backup.");
    expect(lockoutAvoided(dryRun, { ...signInAs, signInAs: { username: "grace", password: "secret" } })).toBe(
      "You will sign in as grace afterwards (its password is checked before anything changes).",
    );
  });

  it("says nothing for a merge, which locks nobody out", () => {
    const dryRun = dryRunWithoutMyAccount();
    expect(lockoutAvoided(dryRun, { ...initialChoices(dryRun), merge: true })).toBeNull();
  });
});
