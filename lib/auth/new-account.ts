import { randomInt } from "node:crypto";

import { z } from "zod";

/**
 * Django's username rule (UnicodeUsernameValidator, `^[\w.@+-]+\Z` with Python's Unicode `\w`):
 * letters and digits of any script, and @ . + - _, up to 150 characters.
 */
export const Username = z
  .string()
  .regex(/^[\p{L}\p{N}_.@+-]{1,150}$/u, "Usernames use letters, digits and @ . + - _ (at most 150).");
export const NewPassword = z.string().min(8, "Passwords need at least 8 characters.").max(4096);
export const NewAccountInput = z.object({
  username: Username,
  password: NewPassword,
  email: z.email().or(z.literal("")).optional(),
  staff: z.boolean().optional(),
  superuser: z.boolean().optional(),
});

const PASSWORD_CHARS = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A password made for someone, to read out or paste: 16 characters without look-alikes (0/O, 1/l/I). */
export function madePassword(): string {
  let password = "";
  for (let i = 0; i < 16; i++) password += PASSWORD_CHARS[randomInt(PASSWORD_CHARS.length)];
  return password;
}
