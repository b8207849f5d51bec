// The one way to write a server action: the staff check and the zod parse happen here, on
// the server, for every call; the action itself is its input schema and its body. Every
// action answers `{ ok: true, … } | { ok: false, error }` and never throws to the browser.
import type { z } from "zod";

import type { AccountRow } from "@/lib/auth/accounts";
import { requireStaff, type ActionResult, type StaffRequirement } from "@/lib/auth/guard";

/** An expected refusal: its message is a plain sentence meant for the person who asked. */
export class ActionError extends Error {}

export const UNEXPECTED =
  "Something went wrong on the server. The error was logged; try again, or ask whoever runs the server to look at its log.";

type ActionBody<Schema extends z.ZodType, Result extends object> = (
  input: z.infer<Schema>,
  staff: AccountRow,
) => Promise<ActionResult<Result>>;

export function staffAction<Schema extends z.ZodType, Result extends object>(
  schema: Schema,
  body: ActionBody<Schema, Result>,
): (input: unknown) => Promise<ActionResult<Result>> {
  return async (raw) => answerAction(await requireStaff(), schema, body, raw);
}

/** The answer once the staff check is done: refused, not understood, the body's, or a logged failure. */
export async function answerAction<Schema extends z.ZodType, Result extends object>(
  staff: StaffRequirement,
  schema: Schema,
  body: ActionBody<Schema, Result>,
  raw: unknown,
): Promise<ActionResult<Result>> {
  if (!staff.ok) return { ok: false, error: staff.error };
  const parsed = schema.safeParse(raw);
  // A failed parse always has at least one issue, and each issue a message.
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]!.message };
  try {
    return await body(parsed.data, staff.account);
  } catch (error) {
    if (error instanceof ActionError) return { ok: false, error: error.message };
    console.error("A server action failed:", error);
    return { ok: false, error: UNEXPECTED };
  }
}
