import type { NextRequest } from "next/server";
import { handle, json } from "@/lib/http/respond";
import { assertSameOrigin } from "@/lib/http/csrf";
import { requireSession } from "@/lib/auth/session/request-session";
import { sessionSummaries } from "@/lib/auth/session/list";
import { revokeOthers } from "@/lib/auth/revoke";
import { NODE_LAYER } from "@/lib/http/session-trace";
import { notAllowed } from "@/lib/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

export const GET = handle(async (request: NextRequest) => {
  const auth = await requireSession(request.cookies, request.headers);
  return json({ sessions: await sessionSummaries(auth.user.id, auth.session.id) });
}, NODE_LAYER);

/** Sign out everywhere else: every session but this one, at once. */
export const DELETE = handle(async (request: NextRequest) => {
  assertSameOrigin(request.headers);
  const auth = await requireSession(request.cookies, request.headers);
  return json({ revoked: await revokeOthers(auth) });
}, NODE_LAYER);

export const { POST, PUT, PATCH } = notAllowed("GET", "DELETE");
