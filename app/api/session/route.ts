import type { NextRequest } from "next/server";
import { config } from "@/lib/config";
import { handle, json } from "@/lib/http/respond";
import { requireSession } from "@/lib/auth/session/request-session";
import { storeKind } from "@/lib/auth/session/service";
import { NODE_LAYER, sessionTraceHeaders } from "@/lib/http/session-trace";
import { notAllowed } from "@/lib/http/methods";

/** Per-request and uncacheable: skip Next's static and cache checks. */
export const dynamic = "force-dynamic";

/** The cookie half of the lab: the server looks the session up in its store on every request. */
export const GET = handle(async (request: NextRequest) => {
  const auth = await requireSession(request.cookies, request.headers);
  const store = storeKind();
  const { session, user } = auth;
  return json(
    {
      session: {
        id: session.id,
        store,
        createdAt: session.createdAt.toISOString(),
        lastSeenAt: session.lastSeenAt.toISOString(),
        idleExpiresAt: session.idleExpiresAt.toISOString(),
        expiresAt: session.expiresAt.toISOString(),
      },
      user,
      instance: config().instanceId,
    },
    { headers: sessionTraceHeaders(auth, store) },
  );
}, NODE_LAYER);

export const { POST, PUT, PATCH, DELETE } = notAllowed("GET");
