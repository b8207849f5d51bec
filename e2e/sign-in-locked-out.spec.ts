// Someone guesses a researcher's password: the last two wrong ones before the lock say how many
// are left; after five the username is locked, and the sign-in page says, in words, when to try
// again (even with the right password). The guesses are summed up on Manage Storage, apart from
// the History's rows.
import { expect, test, type Page } from "@playwright/test";

import { createUser, signIn, signInAsAdmin } from "./support/helpers";

const GUESSED = { username: "guessed-researcher", password: "the-right-password" };
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

// A CLI run and a first sign-in (1.5 M PBKDF2 iterations) on a loaded machine can take most of the default minute.
test.setTimeout(120_000);

test("five wrong passwords lock the username, the page says when to try again, and Manage Storage sums them up", async ({
  page,
}, testInfo) => {
  createUser(GUESSED.username, GUESSED.password);
  // The form's message (Next's route announcer is an empty alert too).
  const alert = page.getByRole("alert").filter({ hasText: /\w/ });
  const wrong = "Wrong username or password, or the account is inactive.";
  // The last two before the lock say how many are left.
  const told = [wrong, wrong, `${wrong} 2 more tries before this account is locked for 1 minute.`];
  told.push(`${wrong} 1 more try before this account is locked for 1 minute.`);
  for (const [i, words] of told.entries()) {
    await signIn(page, GUESSED.username, `wrong-guess-${i + 1}`);
    await expect(alert).toHaveText(words);
  }
  await signIn(page, GUESSED.username, "wrong-guess-5");
  await expect(alert).toHaveText("Too many attempts. Try again in 1 minute.");
  // Locked: the right password is refused too, without being checked.
  await signIn(page, GUESSED.username, GUESSED.password);
  await expect(alert).toHaveText(
    /^Too many attempts\. Try again in \d+ seconds?\.$|^Too many attempts\. Try again in 1 minute\.$/,
  );
  await expect(page).toHaveURL(/\/signin/);
  await page.screenshot({ path: testInfo.outputPath("sign-in-locked-1440.png") });
  await page.setViewportSize({ width: 375, height: 740 });
  expect(await pageWidth(page)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: testInfo.outputPath("sign-in-locked-375.png") });

  await page.setViewportSize({ width: 1440, height: 900 });
  await signInAsAdmin(page);
  await page.goto("/admin/storage");
  const failures = page.getByTestId("sign-in-failures");
  await expect(failures.getByTestId("sign-in-failures-summary")).toContainText(/\d+ failures in the last 24 hours/);
  await expect(failures).toContainText(`${GUESSED.username} × 5`);
  await expect(failures).toContainText(
    `Sign-in locked for 1 minute for the username "${GUESSED.username}" after 5 failed attempts.`,
  );
  // The History's rows stay for exports and restores.
  await expect(page.getByTestId("history-kind").filter({ hasText: /failed sign-in|sign-in locked/ })).toHaveCount(0);
  await failures.screenshot({ path: testInfo.outputPath("sign-in-failures-1440.png") });
  await page.setViewportSize({ width: 375, height: 740 });
  expect(await pageWidth(page)).toBeLessThanOrEqual(375);
  await failures.screenshot({ path: testInfo.outputPath("sign-in-failures-375.png") });
});
