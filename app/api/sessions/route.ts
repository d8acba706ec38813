import type { NextRequest } from "next/server";
import { LAYERS, TraceRecorder } from "@/lib/edge/trace";
import { assertSameOrigin } from "@/lib/edge/http/csrf";
import { handle, json } from "@/lib/server/http/respond";
import { requireSession } from "@/lib/server/auth/session/request-session";
import { sessionSummaries } from "@/lib/server/auth/session/list";
import { revokeOthers } from "@/lib/server/auth/revoke";
import { notAllowed } from "@/lib/server/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

export const GET = handle(async (request: NextRequest) => {
  const trace = new TraceRecorder();
  const auth = await requireSession(request.cookies, request.headers, trace);
  return json({ sessions: await sessionSummaries(auth.user.id, auth.session.id) }, { headers: trace.headers() });
}, LAYERS.node);

/** Sign out everywhere else: every session but this one, at once. */
export const DELETE = handle(async (request: NextRequest) => {
  assertSameOrigin(request.headers);
  const trace = new TraceRecorder();
  const auth = await requireSession(request.cookies, request.headers, trace);
  return json({ revoked: await revokeOthers(auth) }, { headers: trace.headers() });
}, LAYERS.node);

export const { POST, PUT, PATCH } = notAllowed("GET", "DELETE");
