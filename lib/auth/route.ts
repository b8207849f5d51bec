// The one way to write a route handler, beside staffAction (staff-action.ts): the refusal
// (staff session, or the backup API key), the zod parse of what the request names, and what
// an error becomes happen here, for every route. A handler is its input schema and its body;
// it answers a Response (a download) or an object (sent as JSON, never cached).
//
// Errors: a RouteError is expected, and its plain sentence goes to the client with its status;
// anything else is logged and the client gets a generic sentence, as server actions do.
import type { z } from "zod";

import type { AccountRow } from "@/lib/auth/accounts";
import { requireStaff, type StaffRequirement } from "@/lib/auth/guard";
import { UNEXPECTED } from "@/lib/auth/staff-action";
import { authorizeBearer, type KeyPurpose } from "@/lib/http/bearer";
import { jsonError } from "@/lib/http/json";
import { isSameOrigin } from "@/lib/http/same-origin";

/** An expected refusal: a plain sentence for whoever asked, with its HTTP status. */
export class RouteError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** What a route is asked: the query string and the path's [segments] together, as strings. */
type Query = Record<string, string>;

interface RouteArgs<Input> {
  request: Request;
  input: Input;
}

type Answer = Response | object;

/** Next's second argument to a route handler: the path's [segments]. */
export interface RouteContext {
  params?: Promise<Record<string, string | string[]>>;
}

export type RouteHandler = (request: Request, context?: RouteContext) => Promise<Response>;

/** What the request names (query and path segments), parsed by `schema`, or the 400 that says why not. */
async function inputOf<Schema extends z.ZodType>(
  request: Request,
  context: RouteContext | undefined,
  schema: Schema | undefined,
): Promise<z.infer<Schema>> {
  const params = (await context?.params) ?? {};
  const query: Query = Object.fromEntries(new URL(request.url).searchParams);
  for (const [name, value] of Object.entries(params)) query[name] = Array.isArray(value) ? value.join("/") : value;
  if (!schema) return query as z.infer<Schema>;
  const parsed = schema.safeParse(query);
  // A failed parse always has at least one issue, and each issue a message.
  if (!parsed.success) throw new RouteError(400, parsed.error.issues[0]!.message);
  return parsed.data;
}

/** The handler's answer as a Response: objects as uncached JSON. */
function asResponse(answer: Answer): Response {
  if (answer instanceof Response) return answer;
  return Response.json(answer, { headers: { "Cache-Control": "no-store" } });
}

/** A handler's failure as the client sees it: its sentence if expected, a generic one if not (logged). */
export function failureResponse(error: unknown): Response {
  if (error instanceof RouteError) return jsonError(error.status, error.message, error.headers);
  console.error("A route handler failed:", error);
  return jsonError(500, UNEXPECTED);
}

async function answer(run: () => Promise<Answer>): Promise<Response> {
  try {
    return asResponse(await run());
  } catch (error) {
    return failureResponse(error);
  }
}

/** The overloads' arguments, (schema, body) or (body) alone, as [schema or undefined, body]. */
function schemaAndBody<Schema extends z.ZodType, Body>(
  schemaOrBody: unknown,
  maybeBody: Body | undefined,
): [Schema | undefined, Body] {
  // Without a schema the body takes the raw query, which is what it was declared for.
  return maybeBody ? [schemaOrBody as Schema, maybeBody] : [undefined, schemaOrBody as Body];
}

const SAFE_METHODS = new Set(["GET", "HEAD"]);

type StaffBody<Input> = (args: RouteArgs<Input> & { staff: AccountRow }) => Promise<Answer>;

/**
 * A route for signed-in staff (401 until signed in, 403 for anyone else). A request that can
 * change something (not GET or HEAD) must also come from this site's own pages.
 */
export function staffRoute(body: StaffBody<Query>): RouteHandler;
export function staffRoute<Schema extends z.ZodType>(schema: Schema, body: StaffBody<z.infer<Schema>>): RouteHandler;
export function staffRoute<Schema extends z.ZodType>(
  schemaOrBody: Schema | StaffBody<Query>,
  maybeBody?: StaffBody<z.infer<Schema>>,
): RouteHandler {
  const [schema, body] = schemaAndBody<Schema, StaffBody<z.infer<Schema>>>(schemaOrBody, maybeBody);
  return async (request, context) => answerStaffRoute(await requireStaff(), request, context, schema, body);
}

/** The answer once the staff check is done: refused, not understood, the body's, or a logged failure. */
export function answerStaffRoute<Schema extends z.ZodType>(
  staff: StaffRequirement,
  request: Request,
  context: RouteContext | undefined,
  schema: Schema | undefined,
  body: StaffBody<z.infer<Schema>>,
): Promise<Response> {
  return answer(async () => {
    if (!staff.ok) return jsonError(staff.status, staff.error);
    if (!SAFE_METHODS.has(request.method) && !isSameOrigin(request.headers)) {
      return jsonError(403, "Cross-site request refused.");
    }
    return body({ request, input: await inputOf(request, context, schema), staff: staff.account });
  });
}

type BearerBody<Input> = (args: RouteArgs<Input>) => Promise<Answer>;

/** A route for automation: `Authorization: Bearer <key for this purpose>`, failures rate-limited. */
export function bearerRoute(purpose: KeyPurpose, body: BearerBody<Query>): RouteHandler;
export function bearerRoute<Schema extends z.ZodType>(
  purpose: KeyPurpose,
  schema: Schema,
  body: BearerBody<z.infer<Schema>>,
): RouteHandler;
export function bearerRoute<Schema extends z.ZodType>(
  purpose: KeyPurpose,
  schemaOrBody: Schema | BearerBody<Query>,
  maybeBody?: BearerBody<z.infer<Schema>>,
): RouteHandler {
  const [schema, body] = schemaAndBody<Schema, BearerBody<z.infer<Schema>>>(schemaOrBody, maybeBody);
  return (request, context) =>
    answer(async () => {
      const refused = authorizeBearer(request, purpose);
      if (refused) return refused;
      return body({ request, input: await inputOf(request, context, schema) });
    });
}

/** A JSON request body parsed by `schema`; `expects` says in words what was expected when it is not. */
export async function jsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  expects: string,
): Promise<z.infer<Schema>> {
  let raw: unknown;
  try {
    raw = await request.json();
  } catch {
    throw new RouteError(400, `The body must be JSON: ${expects}.`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new RouteError(400, `The body must be ${expects}.`);
  return parsed.data;
}
