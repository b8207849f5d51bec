// A new researcher joins: the lab manager adds their account on the Users page, from the
// keyboard, and passes on the password shown once; the researcher signs in with it (and, not
// being staff, lands on "No access"). A name already taken is refused in words.
import { expect, test } from "@playwright/test";

import { signIn, signInAsAdmin } from "./support/helpers";
import { sidewaysScrolling } from "./support/layout";

// Sorts among the first accounts, so its row is on the Users page's first page.
const NEWCOMER = "aaa-newcomer";

// Two sign-ins (1.5 M PBKDF2 iterations each) on a loaded machine.
test.setTimeout(120_000);

test("a lab manager adds a colleague's account and passes on the password shown once", async ({
  page,
  browser,
}, testInfo) => {
  await signInAsAdmin(page);
  await page.goto("/admin/users");
  const add = page.getByTestId("add-account");
  await add.getByText("Add an account").click();
  await add.getByLabel("Username").fill(NEWCOMER);
  await add.getByLabel("Email (optional)").fill("newcomer@lab.example");
  await add.getByLabel("Username").press("Enter");
  await expect(add.getByTestId("add-account-message")).toContainText(`Added ${NEWCOMER}. Their password`);
  const password = (await add.getByTestId("new-account-password").textContent())!.trim();
  expect(password).toMatch(/^[a-zA-Z2-9]{16}$/);
  await expect(page.getByTestId("user-row").filter({ hasText: NEWCOMER })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("added-1440.png") });

  // The same name again, in capitals: refused, nothing added.
  await add.getByLabel("Username").fill(NEWCOMER.toUpperCase());
  await add.getByRole("button", { name: "Add account" }).click();
  await expect(add.getByTestId("add-account-message")).toHaveText(`There is an account named ${NEWCOMER} already.`);
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await sidewaysScrolling(page)).toEqual([]);
  await page.screenshot({ path: testInfo.outputPath("added-375.png"), fullPage: false });

  // The newcomer, in a browser of their own: signed in, and a researcher, so no console.
  const newcomer = await (await browser.newContext()).newPage();
  await signIn(newcomer, NEWCOMER, password);
  await expect(newcomer.getByRole("heading", { name: "No access" })).toBeVisible();
});
