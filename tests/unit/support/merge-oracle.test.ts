// The merge oracle must catch what it exists to catch: a record re-parented to another person
// or machine (the bug of issue 40), a row the merge changed, a record it lost or added twice.
import { describe, expect, it } from "vitest";

import { judgeMerge } from "@/tests/support/merge-oracle";

const user = (pk: number, username: string) => ({ model: "auth.user", pk, fields: { username } });
const machine = (pk: number, name: string) => ({ model: "calendarEditor.machine", pk, fields: { name } });
const entry = (pk: number, userPk: number, machinePk: number, title: string) => ({
  model: "calendarEditor.queueentry",
  pk,
  fields: { user: userPk, assigned_machine: machinePk, title, created_at: `2026-01-0${pk}T10:00:00Z` },
});

const before = {
  "auth.User": [user(4, "demo4")],
  "calendarEditor.Machine": [machine(1, "Hidalgo")],
  "calendarEditor.QueueEntry": [],
};
const file = {
  "auth.User": [user(4, "jsmith")],
  "calendarEditor.Machine": [machine(1, "Kelvinox")],
  "calendarEditor.QueueEntry": [entry(1, 4, 1, "cooldown")],
};

describe("the merge oracle", () => {
  it("accepts a merge that brought the file's person and machine in under new ids, with their entry", () => {
    const after = {
      "auth.User": [user(4, "demo4"), user(5, "jsmith")],
      "calendarEditor.Machine": [machine(1, "Hidalgo"), machine(2, "Kelvinox")],
      "calendarEditor.QueueEntry": [entry(1, 5, 2, "cooldown")],
    };
    expect(judgeMerge(before, file, after)).toMatchObject({
      violations: [],
      added: { "auth.User": 1, "calendarEditor.Machine": 1, "calendarEditor.QueueEntry": 1 },
    });
  });

  it("flags an entry added for the person and machine that hold the file's ids here", () => {
    const after = {
      "auth.User": [user(4, "demo4")],
      "calendarEditor.Machine": [machine(1, "Hidalgo")],
      "calendarEditor.QueueEntry": [entry(1, 4, 1, "cooldown")],
    };
    const { violations } = judgeMerge(before, file, after);
    expect(violations.join("\n")).toMatch(/QueueEntry 1 was added but is no record of the file/);
    expect(violations.join("\n")).toMatch(/auth\.User 4 of the file \(user jsmith\) is not in the database/);
  });

  it("flags a row the merge changed, and a record added twice", () => {
    const after = {
      "auth.User": [user(4, "demo4-renamed"), user(5, "jsmith")],
      "calendarEditor.Machine": [machine(1, "Hidalgo"), machine(2, "Kelvinox")],
      "calendarEditor.QueueEntry": [entry(1, 5, 2, "cooldown"), { ...entry(1, 5, 2, "cooldown"), pk: 2 }],
    };
    const { violations } = judgeMerge(before, file, after);
    expect(violations).toContain("auth.User 4 was changed or removed by the merge");
    expect(violations.join("\n")).toMatch(/QueueEntry 2 was added but is no record of the file/);
  });
});
