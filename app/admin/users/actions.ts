"use server";

import { addAccountAs } from "@/lib/admin/add-account";
import { deleteAccount, liftSignInLockOf, resetAccountPassword, setAccountFlags } from "@/lib/admin/user-actions";

export async function setAccountFlagsAction(input: unknown) {
  return setAccountFlags(input);
}

export async function resetAccountPasswordAction(input: unknown) {
  return resetAccountPassword(input);
}

export async function deleteAccountAction(input: unknown) {
  return deleteAccount(input);
}

export async function liftSignInLockAction(input: unknown) {
  return liftSignInLockOf(input);
}

export async function addAccountAction(input: unknown) {
  return addAccountAs(input);
}
