import type { NextRequest } from "next/server";
import { LAYERS, TraceRecorder } from "@/lib/edge/trace";
import { assertSameOrigin } from "@/lib/edge/http/csrf";
import { isSecure } from "@/lib/edge/http/request-context";
import { handle, json } from "@/lib/server/http/respond";
import { requireSession } from "@/lib/server/auth/session/request-session";
import { revokeOne } from "@/lib/server/auth/revoke";
import { signOutCookies } from "@/lib/server/auth/auth-cookies";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

export const DELETE = handle(async (request: NextRequest, context: { params: Promise<{ id: string }> }) => {
  assertSameOrigin(request.headers);
  const trace = new TraceRecorder();
  const auth = await requireSession(request.cookies, request.headers, trace);
  const { id } = await context.params;
  const { current } = await revokeOne(auth, id);
  // Revoking your own session is signing out: the browser forgets its cookies too.
  return json(
    { revoked: 1, current },
    { headers: trace.headers(), cookies: current ? signOutCookies(isSecure(request.headers)) : [] },
  );
}, LAYERS.node);

export const { GET, POST, PUT, PATCH } = notAllowed("DELETE");
