// A researcher mistypes their password: the last two tries before the lock say so, the fifth
// locks them out. They call the lab manager, who sees the lock on the Users page (in another
// browser) with how long it has left, lifts it with one button, and the researcher signs in
// with the right password at once. The History on Manage Storage says who lifted it.
import { expect, test, type Page } from "@playwright/test";

import { createUser, signIn, signInAsAdmin } from "./support/helpers";
import { sidewaysScrolling } from "./support/layout";

// Sorts among the first accounts, so its row is on the Users page's first page.
const RESEARCHER = { username: "aaron-mistyped", password: "the-right-password" };
const WRONG = "Wrong username or password, or the account is inactive.";
const PHONE = { width: 375, height: 800 };
const WIDE = { width: 1440, height: 900 };

// A CLI run and several sign-ins (1.5 M PBKDF2 iterations each) on a loaded machine.
test.setTimeout(180_000);

/** The sign-in form's message (Next's route announcer is an empty alert too). */
const formAlert = (page: Page) => page.getByRole("alert").filter({ hasText: /\w/ });

test("a locked-out researcher is let in again by the lab manager from the Users page", async ({
  browser,
}, testInfo) => {
  createUser(RESEARCHER.username, RESEARCHER.password);
  const researcher = await (await browser.newContext({ viewport: WIDE })).newPage();
  const told = [WRONG, WRONG, `${WRONG} 2 more tries before this account is locked for 1 minute.`];
  told.push(`${WRONG} 1 more try before this account is locked for 1 minute.`);
  for (const [i, words] of told.entries()) {
    await signIn(researcher, RESEARCHER.username, `mistyped-${i + 1}`);
    await expect(formAlert(researcher)).toHaveText(words);
  }
  await researcher.screenshot({ path: testInfo.outputPath("sign-in-warning-1440.png") });
  await researcher.setViewportSize(PHONE);
  expect(await sidewaysScrolling(researcher)).toEqual([]);
  await researcher.screenshot({ path: testInfo.outputPath("sign-in-warning-375.png") });
  await signIn(researcher, RESEARCHER.username, "mistyped-5");
  await expect(formAlert(researcher)).toHaveText("Too many attempts. Try again in 1 minute.");

  // The lab manager, in a browser of their own.
  const manager = await (await browser.newContext({ viewport: WIDE })).newPage();
  await signInAsAdmin(manager);
  await manager.goto("/admin/users");
  const panel = manager.getByRole("region", { name: "Locked out of sign-in" });
  const item = panel.getByTestId("locked-account").filter({ hasText: RESEARCHER.username });
  await expect(item).toContainText(
    new RegExp(`${RESEARCHER.username} is locked for (?:1 minute|\\d+ seconds) more, after 5 failed sign-ins\\.`),
  );
  const row = manager.getByTestId("user-row").filter({ hasText: RESEARCHER.username });
  await expect(row).toContainText(/locked out, (?:1 minute|\d+ seconds) left/);
  expect(await sidewaysScrolling(manager)).toEqual([]);
  await manager.screenshot({ path: testInfo.outputPath("users-locked-1440.png") });
  await manager.setViewportSize(PHONE);
  expect(await sidewaysScrolling(manager)).toEqual([]);
  await expect(manager.getByTestId("user-card").filter({ hasText: RESEARCHER.username })).toContainText(
    /locked out, (?:1 minute|\d+ seconds) left/,
  );
  await manager.screenshot({ path: testInfo.outputPath("users-locked-375.png") });

  // One action, from the keyboard.
  const lift = item.getByRole("button", { name: `Let ${RESEARCHER.username} sign in now` });
  await lift.focus();
  await manager.keyboard.press("Enter");
  await expect(manager.getByTestId("locked-accounts-message")).toHaveText(
    `${RESEARCHER.username} can sign in again now.`,
  );
  await expect(manager.getByTestId("locked-account").filter({ hasText: RESEARCHER.username })).toHaveCount(0);
  await manager.screenshot({ path: testInfo.outputPath("users-lifted-375.png") });

  // Well within the minute's lock: the researcher is in (this console is for staff, so it says so).
  await signIn(researcher, RESEARCHER.username, RESEARCHER.password);
  await expect(researcher.getByText("You are signed in, but this console is for lab staff only.")).toBeVisible({
    timeout: 30_000,
  });

  await manager.setViewportSize(WIDE);
  await manager.goto("/admin/storage");
  const lifted = manager
    .getByTestId("history-row")
    .filter({ hasText: `Lifted the sign-in lock of ${RESEARCHER.username}` });
  await expect(lifted).toHaveCount(1);
  await expect(lifted).toContainText("e2e-admin");
});
