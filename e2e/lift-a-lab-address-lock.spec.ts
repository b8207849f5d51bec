// A lab behind one network address: a few people's mistyped passwords add up to the address's
// allowance, and the last two are told that sign-ins from the network are about to be locked.
// Then everyone there is locked out. The lab manager, already signed in, sees the address on
// Manage Storage's Sign-in failures card and lets it try again; a researcher there signs in.
import { expect, test } from "@playwright/test";

import { attemptSignIn } from "../tests/support/sign-in-attempt";
import { E2E } from "./support/env";
import { createUser, signInAsAdmin } from "./support/helpers";
import { sidewaysScrolling } from "./support/layout";

const RESEARCHER = { username: "behind-the-lab-address", password: "the-right-password" };
const WRONG = "Wrong username or password, or the account is inactive.";

// Up to 20 wrong passwords (1.5 M PBKDF2 iterations each) on a loaded machine.
test.setTimeout(240_000);

test("a locked lab address is let in again from Manage Storage, and a researcher there signs in", async ({
  page,
}, testInfo) => {
  createUser(RESEARCHER.username, RESEARCHER.password);
  // Signed in before the address is locked: once it is, nobody there can sign in.
  await signInAsAdmin(page);

  // Made-up usernames, one each (a username's own allowance is 5): only the address's count grows.
  const told: string[] = [];
  for (let i = 0; told.at(-1)?.startsWith("Too many attempts") !== true && i < 25; i++) {
    const attempt = await attemptSignIn(E2E.baseUrl, `lab-visitor-${i}`, "mistyped");
    told.push(attempt.error ?? "signed in");
  }
  expect(told.slice(-3)).toEqual([
    `${WRONG} 2 more tries before sign-ins from your network are locked for 1 minute.`,
    `${WRONG} 1 more try before sign-ins from your network are locked for 1 minute.`,
    "Too many attempts. Try again in 1 minute.",
  ]);
  expect((await attemptSignIn(E2E.baseUrl, RESEARCHER.username, RESEARCHER.password)).error).toMatch(
    /^Too many attempts\./,
  );

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/admin/storage");
  const card = page.getByTestId("sign-in-failures");
  const lock = card.getByTestId("sign-in-lock").filter({ hasText: "The address" });
  await expect(lock).toHaveCount(1);
  await expect(lock).toContainText(/locked for (?:1 minute|\d+ seconds) more, after \d+ failed sign-ins\./);
  await card.screenshot({ path: testInfo.outputPath("address-locked-1440.png") });
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await sidewaysScrolling(page)).toEqual([]);
  await card.screenshot({ path: testInfo.outputPath("address-locked-375.png") });

  await lock.getByRole("button", { name: "Let this address try again" }).click();
  await expect(card.getByRole("status").filter({ hasText: /\w/ })).toHaveText(
    /^Sign-ins from \S+ can try again now\.$/,
  );
  await expect(card.getByTestId("sign-in-lock").filter({ hasText: "The address" })).toHaveCount(0);
  await card.screenshot({ path: testInfo.outputPath("address-lifted-375.png") });

  expect(await attemptSignIn(E2E.baseUrl, RESEARCHER.username, RESEARCHER.password)).toMatchObject({
    signedIn: true,
  });
  await page.reload();
  await expect(
    page.getByTestId("history-row").filter({ hasText: "Lifted the sign-in lock of the address" }),
  ).toHaveCount(1);
});
