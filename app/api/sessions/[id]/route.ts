import type { NextRequest } from "next/server";
import { handle, json } from "@/lib/http/respond";
import { assertSameOrigin } from "@/lib/http/csrf";
import { isSecure } from "@/lib/http/request-context";
import { requireSession } from "@/lib/auth/session/request-session";
import { revokeOne } from "@/lib/auth/revoke";
import { signOutCookies } from "@/lib/auth/auth-cookies";
import { NODE_LAYER } from "@/lib/http/session-trace";
import { notAllowed } from "@/lib/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

export const DELETE = handle(async (request: NextRequest, context: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(request.headers);
  const auth = await requireSession(request.cookies, request.headers);
  const { id } = await context.params;
  const { current } = await revokeOne(auth, id);
  // Revoking your own session is signing out: the browser forgets its cookies too.
  return json({ revoked: 1, current }, { cookies: current ? signOutCookies(isSecure(request.headers)) : [] });
}, NODE_LAYER);

export const { GET, POST, PUT, PATCH } = notAllowed("DELETE");
